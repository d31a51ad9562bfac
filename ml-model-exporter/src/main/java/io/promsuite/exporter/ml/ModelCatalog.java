package io.promsuite.exporter.ml;

import io.promsuite.exporter.common.collect.BackgroundRefresh;
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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Everything the exporter knows about its models, refreshed in the background by the framework's
 * {@link BackgroundRefresh} (every source on its own virtual thread) and published as one
 * immutable {@link Snapshot} that scrapes read without locks. A source that fails keeps its last known models and is reported down; the others are
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

  /** The one kind of refresh: every source, in parallel. */
  private static final String SOURCES = "sources";

  private final Clock clock;
  private final BackgroundRefresh<Snapshot> refresh;
  private final Set<String> warnedDuplicates = new HashSet<>();
  private volatile List<SourceState> states;
  private final List<ModelSource> retired = new ArrayList<>();

  public ModelCatalog(List<ModelSource> sources, Duration interval, Clock clock) {
    this(sources, interval, clock, null);
  }

  /** @param scheduler where refreshes run; null for the framework's own thread (tests pass a hand-driven one) */
  ModelCatalog(List<ModelSource> sources, Duration interval, Clock clock, BackgroundRefresh.Scheduler scheduler) {
    this.states = wrap(sources);
    this.clock = clock;
    BackgroundRefresh.Builder<Snapshot> b = BackgroundRefresh.builder("model-catalog", Snapshot.EMPTY)
        .every(SOURCES, interval, this::refreshSources);
    this.refresh = (scheduler == null ? b : b.scheduler(scheduler)).build();
  }

  private static List<SourceState> wrap(List<ModelSource> sources) {
    return sources.stream().map(SourceState::new).toList();
  }

  /** Starts the background refresh: one now, then {@code interval} after each one ends. */
  public void start() {
    refresh.start();
  }

  /** True once every source has been read (successfully or not) and the result published. */
  public boolean refreshedOnce() {
    return refresh.published();
  }

  public Snapshot snapshot() {
    return refresh.snapshot();
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
    refresh.refreshSoon(SOURCES);
  }

  /** Refreshes every source now on this thread (after a background refresh in progress) and publishes the result. */
  public void refresh() {
    refresh.runNow(SOURCES);
  }

  /** One refresh (one at a time): false when a source failed. */
  private boolean refreshSources() {
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
    // Sources replaced meanwhile: the refresh they asked for publishes, not this one.
    if (current == states) {
      refresh.publish(() -> build(current));
    }
    return current.stream().allMatch(s -> s.up);
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
    // Stops the refresh first (a run in progress is interrupted and waited for), then its sources.
    refresh.close();
    states.forEach(s -> s.source.close());
    synchronized (retired) {
      retired.forEach(ModelSource::close);
      retired.clear();
    }
  }
}
