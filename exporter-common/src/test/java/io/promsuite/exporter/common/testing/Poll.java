package io.promsuite.exporter.common.testing;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Polling instead of sleeping: a loaded 2-core machine decides how long things take. Every wait in
 * the tests goes through here, so each failure says what was awaited and what was seen last.
 *
 * <p>A check is called at once, then after 20 ms, doubling up to 250 ms between calls. An exception
 * or a failed assertion inside a check means "not yet" (a port not open, a file not written); the
 * last one is the cause of the failure at the timeout. A check that knows waiting is pointless (the
 * process it waits for died) throws {@link #abort}.
 */
public final class Poll {
  private static final Duration FIRST = Duration.ofMillis(20);
  private static final Duration MAX = Duration.ofMillis(250);
  private static final int SHOWN = 3000;

  private Poll() {}

  /** A check that may throw while the state is not there yet. */
  @FunctionalInterface
  public interface Check<T> {
    T get() throws Exception;
  }

  /** A check without a value: passes when it returns. */
  @FunctionalInterface
  public interface Action {
    void run() throws Exception;
  }

  /** Thrown by a check to stop waiting at once; the failure carries its message. */
  public static final class Abort extends RuntimeException {
    private Abort(String message) {
      super(message);
    }
  }

  /** Stops the poll at once, e.g. {@code if (!p.isAlive()) throw Poll.abort("exited:\n" + log)}. */
  public static Abort abort(String why) {
    return new Abort(why);
  }

  /** Calls {@code value} until {@code done} accepts what it returns; returns that value. */
  public static <T> T until(Duration timeout, String what, Check<T> value, Predicate<? super T> done) {
    return until(timeout, what, value, done, Poll::show);
  }

  /** As above; {@code show} turns the last value into the failure's text (e.g. only the relevant samples). */
  public static <T> T until(Duration timeout, String what, Check<T> value, Predicate<? super T> done,
      Function<? super T, String> show) {
    long end = System.nanoTime() + timeout.toNanos();
    Duration pause = FIRST;
    T last = null;
    boolean seen = false;
    Throwable error = null;
    while (true) {
      try {
        T v = value.get();
        if (done.test(v)) {
          return v;
        }
        last = v;
        seen = true;
        error = null;
      } catch (Abort a) {
        throw new AssertionError("gave up waiting for " + what + ": " + a.getMessage(), a);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      } catch (Exception | AssertionError e) {
        error = e;
      }
      if (System.nanoTime() - end >= 0) {
        StringBuilder m = new StringBuilder("not within ").append(seconds(timeout)).append(": ").append(what);
        if (seen) {
          m.append("; last value: ").append(show.apply(last));
        }
        if (error != null) {
          m.append("; last error: ").append(error);
        }
        throw new AssertionError(m.toString(), error);
      }
      sleep(pause, what);
      pause = pause.multipliedBy(2).compareTo(MAX) > 0 ? MAX : pause.multipliedBy(2);
    }
  }

  /** Calls {@code condition} until it returns true. */
  public static void until(Duration timeout, String what, Check<Boolean> condition) {
    until(timeout, what, condition, Boolean.TRUE::equals);
  }

  /** Calls {@code check} until it returns without throwing; returns its value. */
  public static <T> T untilOk(Duration timeout, String what, Check<T> check) {
    return until(timeout, what, check, v -> true);
  }

  /** Runs {@code assertion} until it passes (returns without throwing). */
  public static void untilPasses(Duration timeout, String what, Action assertion) {
    untilOk(timeout, what, () -> {
      assertion.run();
      return null;
    });
  }

  /** Runs {@code assertion} repeatedly for {@code duration}: it must pass every time; the first failure is rethrown. */
  public static void holds(Duration duration, String what, Action assertion) {
    long end = System.nanoTime() + duration.toNanos();
    do {
      try {
        assertion.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while checking " + what, e);
      } catch (Exception | AssertionError e) {
        throw new AssertionError("stopped holding within " + seconds(duration) + ": " + what + ": " + e, e);
      }
      sleep(MAX, what);
    } while (System.nanoTime() - end < 0);
  }

  private static void sleep(Duration pause, String what) {
    try {
      Thread.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + what, e);
    }
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static String show(Object value) {
    String s = String.valueOf(value);
    return s.length() > SHOWN ? s.substring(0, SHOWN) + "... (" + s.length() + " chars)" : s;
  }
}
