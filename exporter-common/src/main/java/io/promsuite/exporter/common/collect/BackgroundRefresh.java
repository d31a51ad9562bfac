package io.promsuite.exporter.common.collect;

import io.promsuite.exporter.common.log.Logging;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Data an exporter keeps fresh in the background and scrapes only read: one or more kinds of
 * refresh, each run at start, then its interval after each run ends, or sooner when asked
 * ({@link #refreshSoon}: triggers that arrive while a run waits or runs are coalesced into one
 * more run); an immutable snapshot swapped in whole ({@link #publish}), with listeners that see it
 * first (rendering it as {@link Prerendered}); runs, errors and the last duration of each kind. Hand
 * it to {@code Exporter.Context.onClose} (directly or inside what owns it).
 *
 * <p>Each kind runs on its own platform thread, parked between runs: a refresh also renders, and
 * virtual threads are not time-sliced, so a long render there would hold a carrier the scrapes'
 * virtual threads need. A refresh that fans out to many slow calls starts virtual threads itself.
 *
 * @param <S> the snapshot type; immutable
 */
public final class BackgroundRefresh<S> implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(BackgroundRefresh.class.getName());
  private static final long NOT_DUE = Long.MAX_VALUE;

  /** One run of a kind of refresh; false (or an exception, which is logged) counts as an error. */
  @FunctionalInterface
  public interface Body {
    boolean run() throws Exception;
  }

  /** A kind's runs, failed runs and the duration of its last run. */
  public record Stats(long runs, long errors, double lastDurationSeconds) {
    public static final Stats NONE = new Stats(0, 0, 0);
  }

  /** Where and when runs happen: platform threads in real time, or a test's hand-driven clock. */
  public interface Scheduler extends AutoCloseable {
    long nanoTime();

    /** Runs {@code run} once after {@code delayNanos}; the result cancels it if it has not started. */
    Runnable schedule(Runnable run, long delayNanos);

    /** Drops what is pending, interrupts what runs and waits a while for it to end. */
    @Override
    void close();
  }

  private final String name;
  private final Map<String, Kind> kinds;
  private final Scheduler scheduler;
  private final List<Consumer<? super S>> listeners = new CopyOnWriteArrayList<>();
  private final Object publishing = new Object();
  private volatile S snapshot;
  private volatile boolean published;
  private boolean started;
  private volatile boolean closed;

  private final class Kind {
    final String kind;
    final long intervalNanos;
    final Body body;
    /** One run of this kind at a time, background or {@link #runNow}. */
    final ReentrantLock running = new ReentrantLock();
    // Guarded by BackgroundRefresh.this:
    Runnable cancelPending;
    long pendingAt;
    long token;
    boolean inRun;
    long againAt = NOT_DUE;
    long runs;
    long errors;
    long lastNanos;
    boolean failing;

    Kind(String kind, Duration interval, Body body) {
      this.kind = kind;
      this.intervalNanos = interval.toNanos();
      this.body = body;
    }
  }

  private BackgroundRefresh(Builder<S> b) {
    this.name = b.name;
    this.snapshot = b.initial;
    Map<String, Kind> k = new LinkedHashMap<>();
    b.kinds.forEach((kind, spec) -> k.put(kind, new Kind(kind, spec.interval(), spec.body())));
    this.kinds = k;
    this.scheduler = b.scheduler != null ? b.scheduler : platformThreads(name, k.size());
  }

  /** A refresher called {@code name} (in logs and thread names) whose snapshot is {@code initial} until the first publish. */
  public static <S> Builder<S> builder(String name, S initial) {
    return new Builder<>(name, initial);
  }

  /** Declares the kinds of refresh. */
  public static final class Builder<S> {
    private record Spec(Duration interval, Body body) {}

    private final String name;
    private final S initial;
    private final Map<String, Spec> kinds = new LinkedHashMap<>();
    private Scheduler scheduler;

    private Builder(String name, S initial) {
      this.name = name;
      this.initial = initial;
    }

    /** A kind of refresh run {@code interval} after each run of it ends, and when asked. */
    public Builder<S> every(String kind, Duration interval, Body body) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException(name + " " + kind + ": interval must be positive, got " + interval);
      }
      if (kinds.putIfAbsent(kind, new Spec(interval, body)) != null) {
        throw new IllegalArgumentException(name + ": kind " + kind + " declared twice");
      }
      return this;
    }

    /** Runs on {@code scheduler} instead of platform threads (tests drive a clock by hand). */
    public Builder<S> scheduler(Scheduler scheduler) {
      this.scheduler = scheduler;
      return this;
    }

    public BackgroundRefresh<S> build() {
      return new BackgroundRefresh<>(this);
    }
  }

  /** Runs every kind once now, then each on its interval. Triggers before this are dropped. */
  public BackgroundRefresh<S> start() {
    synchronized (this) {
      started = true;
    }
    kinds.values().forEach(k -> at(k, 0));
    return this;
  }

  /** Runs {@code kind} as soon as it is not running; several calls before that run it once. */
  public void refreshSoon(String kind) {
    at(kind(kind), 0);
  }

  /** Runs {@code kind} within {@code delay} (or sooner if it is due sooner), for retries with backoff. */
  public void refreshAfter(String kind, Duration delay) {
    at(kind(kind), Math.max(0, delay.toNanos()));
  }

  /**
   * Runs {@code kind} now on the calling thread (after a run of it in progress ends), counted as
   * a background run; its schedule is unchanged. False when the run failed.
   */
  public boolean runNow(String kind) {
    return execute(kind(kind));
  }

  /** The refresher's clock in nanoseconds (the scheduler's: real, or a test's), for backoffs measured in its time. */
  public long nanoTime() {
    return scheduler.nanoTime();
  }

  /** The snapshot last published (the initial one before that). */
  public S snapshot() {
    return snapshot;
  }

  /** True once a snapshot was published: readiness can wait for it. */
  public boolean published() {
    return published;
  }

  /**
   * Builds a snapshot and publishes it: listeners get it first, then {@link #snapshot()} returns
   * it, so what that returns is never ahead of what they made of it. One publish at a time, so
   * kinds publishing at once cannot swap in an older snapshot after a newer one.
   */
  public void publish(Supplier<? extends S> build) {
    // Its own lock: a render under it must not hold up triggers or a scrape reading stats().
    synchronized (publishing) {
      S s = build.get();
      for (Consumer<? super S> l : listeners) {
        try {
          l.accept(s);
        } catch (RuntimeException e) {
          Logging.log(LOG, Level.WARNING, "building metrics from a refresh failed", "refresh", name, "err", e.toString());
        }
      }
      snapshot = s;
      published = true;
    }
  }

  /** Runs {@code listener} with every snapshot published from now on, on the publishing thread. */
  public void onPublish(Consumer<? super S> listener) {
    listeners.add(listener);
  }

  /** Every kind's numbers, in the order declared. */
  public synchronized Map<String, Stats> stats() {
    Map<String, Stats> out = new LinkedHashMap<>();
    kinds.forEach((kind, k) -> out.put(kind, new Stats(k.runs, k.errors, k.lastNanos / 1e9)));
    return java.util.Collections.unmodifiableMap(out);
  }

  private Kind kind(String kind) {
    Kind k = kinds.get(kind);
    if (k == null) {
      throw new IllegalArgumentException(name + ": no refresh of kind " + kind + "; kinds: " + kinds.keySet());
    }
    return k;
  }

  /** Makes {@code k} run {@code delay} from now unless it is due sooner; a run in progress is followed by one more. */
  private synchronized void at(Kind k, long delay) {
    if (closed || !started) {
      return;
    }
    long at = scheduler.nanoTime() + delay;
    if (k.inRun) {
      k.againAt = Math.min(k.againAt, at);
      return;
    }
    if (k.cancelPending != null) {
      if (k.pendingAt - at <= 0) {
        return; // coalesced into the run already due
      }
      k.cancelPending.run();
    }
    long token = ++k.token;
    k.pendingAt = at;
    k.cancelPending = scheduler.schedule(() -> background(k, token), delay);
  }

  private void background(Kind k, long token) {
    synchronized (this) {
      if (closed || token != k.token) {
        return; // replaced by an earlier run, or closed
      }
      k.cancelPending = null;
      k.inRun = true;
      k.againAt = NOT_DUE;
    }
    try {
      execute(k);
    } finally {
      synchronized (this) {
        k.inRun = false;
        long now = scheduler.nanoTime();
        long next = Math.min(k.againAt, now + k.intervalNanos);
        k.againAt = NOT_DUE;
        at(k, Math.max(0, next - now));
      }
    }
  }

  private boolean execute(Kind k) {
    k.running.lock();
    try {
      long t0 = scheduler.nanoTime();
      boolean ok;
      Exception failure = null;
      try {
        ok = k.body.run();
      } catch (Exception e) {
        ok = false;
        failure = e;
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
      }
      record(k, scheduler.nanoTime() - t0, ok, failure);
      return ok;
    } finally {
      k.running.unlock();
    }
  }

  private void record(Kind k, long nanos, boolean ok, Exception failure) {
    boolean wasFailing;
    synchronized (this) {
      k.runs++;
      if (!ok) {
        k.errors++;
      }
      k.lastNanos = nanos;
      wasFailing = k.failing;
      k.failing = failure != null;
    }
    if (closed) {
      return; // an interrupted last run is no news
    }
    // A failure that persists is logged once, then at debug level; the body logs its own partial failures.
    if (failure != null) {
      String err = failure.getMessage() == null ? failure.toString() : failure.getMessage();
      Logging.log(LOG, wasFailing ? Level.FINE : Level.WARNING, "background refresh failed", "refresh", name,
          "kind", k.kind, "err", err);
    } else if (wasFailing) {
      Logging.log(LOG, Level.INFO, "background refresh works again", "refresh", name, "kind", k.kind);
    }
  }

  /** Stops: no further runs; a run in progress is interrupted and waited for a while. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      for (Kind k : kinds.values()) {
        if (k.cancelPending != null) {
          k.cancelPending.run();
          k.cancelPending = null;
        }
      }
    }
    scheduler.close();
  }

  /** One platform thread per kind (see the class comment), daemon so a forgotten close does not hold the JVM. */
  static Scheduler platformThreads(String name, int threads) {
    ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(Math.max(1, threads),
        Thread.ofPlatform().daemon().name(name + "-refresh-", 0).factory());
    pool.setRemoveOnCancelPolicy(true);
    pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return new Scheduler() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public Runnable schedule(Runnable run, long delayNanos) {
        ScheduledFuture<?> f = pool.schedule(run, delayNanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
      }

      @Override
      public void close() {
        pool.shutdownNow();
        try {
          // Long enough for a call with the usual client timeouts to give up; a close never hangs.
          if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
            Logging.log(LOG, Level.WARNING, "a background refresh did not stop within 10s; leaving it", "refresh", name);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }
}
