package io.promsuite.exporter.ml;

import io.promsuite.exporter.common.log.Logging;
import io.promsuite.exporter.ml.source.ModelReading;
import io.promsuite.exporter.ml.source.ModelSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Everything the exporter knows about its models, refreshed in the background (every source on its
 * own virtual thread) and published as one immutable {@link Snapshot} that scrapes read without
 * locks. A source that fails keeps its last known models and is reported down; the others are
 * unaffected. When two sources hold a model of the same name, the one listed first wins.
 */
public final class ModelCatalog implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ModelCatalog.class.getName());

  /** Health of one source after its last refresh. */
  public record SourceStatus(String name, String type, boolean up, double lastRefreshSeconds, double durationSeconds,
      long failures, int models) {}

  /** A model and the source it came from. */
  public record Entry(String source, ModelReading reading) {}

  /** Cumulative count of problems met in one model of one source. */
  public record ErrorCount(String source, String model, long total) {}

  /** A model version of one source whose metadata cannot be read now. */
  public record Unreadable(String source, String model, String version) {}

  /** What a scrape reports: sources that were refreshed at least once, and their models. */
  public record Snapshot(List<Entry> models, List<SourceStatus> sources, List<ErrorCount> modelErrors,
      List<Unreadable> unreadable) {
    public static final Snapshot EMPTY = new Snapshot(List.of(), List.of(), List.of(), List.of());

    /** A snapshot in which every version's metadata is readable. */
    public Snapshot(List<Entry> models, List<SourceStatus> sources, List<ErrorCount> modelErrors) {
      this(models, sources, modelErrors, List.of());
    }
  }

  private static final class SourceState {
    final ModelSource source;
    List<ModelReading> models = List.of();
    boolean refreshed;
    boolean up;
    double lastRefresh;
    double duration;
    long failures;
    final Map<String, Long> modelErrors = new HashMap<>();

    SourceState(ModelSource source) {
      this.source = source;
    }
  }

  private final Clock clock;
  private final Duration interval;
  private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(Snapshot.EMPTY);
  private final ReentrantLock refreshing = new ReentrantLock();
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("model-catalog-refresh").factory());
  private final Set<String> warnedDuplicates = new HashSet<>();
  private volatile List<SourceState> states;
  private final List<ModelSource> retired = new ArrayList<>();
  private volatile boolean refreshedOnce;

  public ModelCatalog(List<ModelSource> sources, Duration interval, Clock clock) {
    this.states = wrap(sources);
    this.interval = interval;
    this.clock = clock;
  }

  private static List<SourceState> wrap(List<ModelSource> sources) {
    return sources.stream().map(SourceState::new).toList();
  }

  /** Starts the background refresh: one now, then {@code interval} after each one ends. */
  public void start() {
    scheduler.scheduleWithFixedDelay(this::refreshQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** True once every source has been read (successfully or not) and the result published. */
  public boolean refreshedOnce() {
    return refreshedOnce;
  }

  public Snapshot snapshot() {
    return snapshot.get();
  }

  /**
   * Swaps in a new set of sources (after a reload) and refreshes them soon. A source object that is
   * also in the new list keeps its state (counters, caches); the others are closed.
   */
  public void replaceSources(List<ModelSource> sources) {
    synchronized (retired) {
      Map<ModelSource, SourceState> old = new IdentityHashMap<>();
      states.forEach(s -> old.put(s.source, s));
      List<SourceState> next = new ArrayList<>();
      for (ModelSource source : sources) {
        SourceState kept = old.remove(source);
        next.add(kept != null ? kept : new SourceState(source));
      }
      old.keySet().forEach(retired::add);
      states = List.copyOf(next);
    }
    scheduler.execute(this::refreshQuietly);
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      Logging.log(LOG, Level.SEVERE, "model catalog refresh failed", "err", e.toString());
    }
  }

  /** Refreshes every source now (sources in parallel) and publishes the result. */
  public void refresh() {
    refreshing.lock();
    try {
      List<ModelSource> toClose;
      synchronized (retired) {
        toClose = new ArrayList<>(retired);
        retired.clear();
      }
      toClose.forEach(ModelSource::close);
      List<SourceState> current = states;
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (SourceState s : current) {
          pool.submit(() -> refresh(s));
        }
      }
      if (current == states) {
        snapshot.set(build(current));
        refreshedOnce = true;
      }
    } finally {
      refreshing.unlock();
    }
  }

  private void refresh(SourceState s) {
    long start = System.nanoTime();
    try {
      List<ModelReading> models = s.source.read();
      s.models = models;
      s.up = true;
      for (ModelReading m : models) {
        s.modelErrors.merge(m.model(), (long) m.errors(), Long::sum);
      }
      s.modelErrors.keySet().retainAll(models.stream().map(ModelReading::model).toList());
    } catch (Exception e) {
      // Keep the last known models: a flaky store should not make every model vanish.
      s.up = false;
      s.failures++;
      Logging.log(LOG, Level.WARNING, "source refresh failed", "source", s.source.name(), "type", s.source.type(),
          "err", e.getMessage() == null ? e.toString() : e.getMessage());
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
    s.duration = (System.nanoTime() - start) / 1e9;
    s.lastRefresh = clock.millis() / 1000.0;
    s.refreshed = true;
  }

  private Snapshot build(List<SourceState> current) {
    List<Entry> models = new ArrayList<>();
    List<SourceStatus> sources = new ArrayList<>();
    List<ErrorCount> errors = new ArrayList<>();
    List<Unreadable> unreadable = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (SourceState s : current) {
      if (!s.refreshed) {
        continue;
      }
      sources.add(new SourceStatus(s.source.name(), s.source.type(), s.up, s.lastRefresh, s.duration, s.failures,
          s.models.size()));
      for (ModelReading m : s.models) {
        errors.add(new ErrorCount(s.source.name(), m.model(), s.modelErrors.getOrDefault(m.model(), 0L)));
        m.unreadableVersions().forEach(v -> unreadable.add(new Unreadable(s.source.name(), m.model(), v)));
        if (seen.add(m.model())) {
          models.add(new Entry(s.source.name(), m));
        } else if (warnedDuplicates.add(s.source.name() + "\u0000" + m.model())) {
          Logging.log(LOG, Level.WARNING, "model exists in more than one source; reporting the first",
              "model", m.model(), "ignored_source", s.source.name());
        }
      }
    }
    return new Snapshot(List.copyOf(models), List.copyOf(sources), List.copyOf(errors), List.copyOf(unreadable));
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    refreshing.lock();
    try {
      states.forEach(s -> s.source.close());
      synchronized (retired) {
        retired.forEach(ModelSource::close);
        retired.clear();
      }
    } finally {
      refreshing.unlock();
    }
  }
}
