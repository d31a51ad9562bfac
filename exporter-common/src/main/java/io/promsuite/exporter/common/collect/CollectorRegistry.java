package io.promsuite.exporter.common.collect;

import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.promsuite.exporter.common.log.Logging;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the enabled collectors of one scrape concurrently on virtual threads under one deadline and
 * adds {@code <prefix>_scrape_collector_success} and {@code _duration_seconds} for each, as
 * node_exporter does. A collector that throws or misses the deadline reports success 0 and its
 * partial output is dropped; the others are served. Overlapping scrapes (an HA pair of Prometheus
 * servers) share one run of each collector, and a collector still stuck from an earlier scrape is
 * waited for rather than started again, so hung calls cannot pile up.
 */
public final class CollectorRegistry implements MultiCollector {
  /** The header in which Prometheus sends its scrape timeout, in seconds. */
  public static final String TIMEOUT_HEADER = "X-Prometheus-Scrape-Timeout-Seconds";
  private static final Logger LOG = Logger.getLogger(CollectorRegistry.class.getName());

  private final String prefix;
  private final Map<String, Entry> collectors = new LinkedHashMap<>();
  private final Duration defaultTimeout;
  private final Duration timeoutOffset;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  private record Entry(String name, Collector collector, AtomicReference<Run> inflight) {}

  /** What one run gave: its output, or the exception it threw; and how long it ran either way. */
  private record Result(SnapshotSink sink, long nanos, Exception failure) {}

  /** One execution of a collector, shared by the scrapes that overlap it. */
  private record Run(Future<Result> future, AtomicInteger waiters, AtomicBoolean finished) {
    void leave() {
      if (waiters.decrementAndGet() == 0 && !future.isDone()) {
        future.cancel(true);
      }
    }
  }

  /**
   * @param prefix metric prefix ({@code node} gives {@code node_scrape_collector_success})
   * @param defaultTimeout deadline when Prometheus sends no timeout header
   * @param timeoutOffset subtracted from the header's timeout to leave time for the response
   */
  public CollectorRegistry(String prefix, Duration defaultTimeout, Duration timeoutOffset) {
    this.prefix = prefix;
    this.defaultTimeout = defaultTimeout;
    this.timeoutOffset = timeoutOffset;
  }

  public CollectorRegistry register(String name, Collector collector) {
    if (collectors.putIfAbsent(name, new Entry(name, collector, new AtomicReference<>())) != null) {
      throw new IllegalArgumentException("collector " + name + " registered twice");
    }
    return this;
  }

  public Set<String> names() {
    return collectors.keySet();
  }

  @Override
  public MetricSnapshots collect() {
    return collect((PrometheusScrapeRequest) null);
  }

  @Override
  public MetricSnapshots collect(PrometheusScrapeRequest request) {
    return new MetricSnapshots(scrape(request).snapshots());
  }

  /**
   * Runs the collectors {@code request} selects ({@code collect[]}) under its deadline and returns
   * what they wrote, with the success and duration families; the telemetry path writes the text
   * format from it directly.
   */
  public SnapshotSink scrape(PrometheusScrapeRequest request) {
    long start = System.nanoTime();
    long deadline = start + deadlineFor(request).toNanos();
    List<Entry> selected = select(request);
    List<Run> runs = new ArrayList<>(selected.size());
    for (Entry e : selected) {
      runs.add(join(e));
    }
    SnapshotSink merged = new SnapshotSink();
    MetricSink.Family success = merged.gauge(prefix + "_scrape_collector_success",
        prefix + "_exporter: Whether a collector succeeded.", "collector");
    MetricSink.Family duration = merged.gauge(prefix + "_scrape_collector_duration_seconds",
        prefix + "_exporter: Duration of a collector scrape.", "collector");
    for (int i = 0; i < selected.size(); i++) {
      Entry e = selected.get(i);
      Run run = runs.get(i);
      boolean ok = false;
      double seconds = -1;
      try {
        long remaining = deadline - System.nanoTime();
        Result r = run.future().get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
        seconds = r.nanos() / 1e9;
        if (r.failure() == null) {
          merged.copyFrom(r.sink(), e.name());
          ok = true;
        } else {
          failed(e.name(), r.failure());
        }
      } catch (TimeoutException ex) {
        Logging.log(LOG, Level.WARNING, "collector missed the scrape deadline", "collector", e.name(),
            "deadline_seconds", String.format("%.3f", (deadline - start) / 1e9));
      } catch (java.util.concurrent.CancellationException ex) {
        Logging.log(LOG, Level.WARNING, "collector cancelled at an earlier deadline and still running",
            "collector", e.name());
      } catch (ExecutionException ex) {
        failed(e.name(), ex.getCause());
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException ex) {
        Logging.log(LOG, Level.WARNING, "collector output rejected", "collector", e.name(), "err", ex);
      } finally {
        run.leave();
      }
      if (seconds < 0) {
        // Missed the deadline or cancelled: how long this scrape waited for it.
        seconds = (System.nanoTime() - start) / 1e9;
      }
      duration.add(seconds, e.name());
      success.add(ok ? 1 : 0, e.name());
    }
    return merged;
  }

  private static void failed(String collector, Throwable cause) {
    if (cause instanceof NoDataException none) {
      Logging.log(LOG, Level.FINE, "collector returned no data", "collector", collector, "err", none.getMessage());
    } else {
      Logging.log(LOG, Level.WARNING, "collector failed", "collector", collector, "err", cause);
    }
  }

  /**
   * The collector's run this scrape uses: the one in flight if there is one (a concurrent scrape,
   * as from an HA pair of Prometheus servers, or a run stuck since an earlier scrape), else a new
   * one. A run is cancelled when the last scrape waiting for it gives up.
   */
  private Run join(Entry e) {
    synchronized (e) {
      Run run = e.inflight().get();
      if (run == null || run.finished().get()) {
        AtomicBoolean finished = new AtomicBoolean();
        Future<Result> f = executor.submit(() -> {
          long t0 = System.nanoTime();
          try {
            SnapshotSink sink = new SnapshotSink();
            e.collector().collect(sink);
            return new Result(sink, System.nanoTime() - t0, null);
          } catch (Exception ex) {
            // A failed collector reports its own run time too, as node_exporter's do.
            return new Result(null, System.nanoTime() - t0, ex);
          } finally {
            finished.set(true);
          }
        });
        run = new Run(f, new AtomicInteger(), finished);
        e.inflight().set(run);
      } else if (run.waiters().get() == 0) {
        // Nobody waits for it any more: a run stuck since an earlier scrape is not started again.
        Logging.log(LOG, Level.WARNING, "collector still running from an earlier scrape; not started again",
            "collector", e.name());
      }
      run.waiters().incrementAndGet();
      return run;
    }
  }

  private List<Entry> select(PrometheusScrapeRequest request) {
    String[] wanted = request == null ? null : request.getParameterValues("collect[]");
    if (wanted == null || wanted.length == 0) {
      return new ArrayList<>(collectors.values());
    }
    List<Entry> out = new ArrayList<>();
    for (String w : wanted) {
      Entry e = collectors.get(w);
      if (e != null && !out.contains(e)) {
        out.add(e);
      }
    }
    return out;
  }

  private Duration deadlineFor(PrometheusScrapeRequest request) {
    if (request instanceof PrometheusHttpRequest http) {
      String header = http.getHeader(TIMEOUT_HEADER);
      if (header != null) {
        try {
          double seconds = Double.parseDouble(header.trim());
          Duration d = Duration.ofNanos((long) (seconds * 1e9)).minus(timeoutOffset);
          // Leave the collectors something even for a tiny scrape timeout.
          return d.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : d;
        } catch (NumberFormatException ignored) {
          // A malformed header is not the scrape's fault: fall back to the default.
        }
      }
    }
    return defaultTimeout;
  }

  public void close() {
    executor.shutdownNow();
  }
}
