package io.promsuite.e2e;

import java.time.Duration;

/** Polling instead of sleeping: a loaded 2-core machine decides how long things take. */
final class Await {
  private Await() {}

  /** A check that may throw while the state is not there yet. */
  @FunctionalInterface
  interface Check<T> {
    T get() throws Exception;
  }

  /** Polls {@code check} until it returns without throwing; rethrows its last failure after {@code timeout}. */
  static <T> T until(Duration timeout, Check<T> check) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        return check.get();
      } catch (Exception | AssertionError e) {
        if (System.nanoTime() > end) {
          throw new AssertionError("not reached within " + timeout + ": " + e.getMessage(), e);
        }
      }
      Thread.sleep(250);
    }
  }

  /** Keeps checking {@code check} for {@code duration}: it must hold the whole time. */
  static void holds(Duration duration, Check<?> check) throws Exception {
    long end = System.nanoTime() + duration.toNanos();
    do {
      check.get();
      Thread.sleep(250);
    } while (System.nanoTime() < end);
  }

  /** An assertion that may fail while the state is not there yet. */
  @FunctionalInterface
  interface Assertion {
    void check() throws Exception;
  }

  /** Polls {@code assertion} until it passes; rethrows its last failure after {@code timeout}. */
  static void untilOk(Duration timeout, Assertion assertion) throws Exception {
    until(timeout, () -> {
      assertion.check();
      return null;
    });
  }
}
