package io.promsuite.pushgateway;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Times a batch job and pushes its metrics when closed, for use with try-with-resources.
 *
 * <pre>{@code
 * try (BatchJob job = BatchJob.start(gateway, GroupingKey.of("etl"))) {
 *   Counter rows = Counter.builder().name("etl_rows").register(job.registry());
 *   ...
 *   job.succeeded();
 * } catch (Exception e) { ... }   // close() has pushed by then
 * }</pre>
 *
 * <p>Besides the job's own metrics it pushes {@code <job>_duration_seconds} and, after
 * {@link #succeeded()}, {@code <job>_last_success_timestamp_seconds} with PUT (replacing the group);
 * otherwise {@code <job>_last_failure_timestamp_seconds{exception="<class>"}} with POST, so the last
 * success of an earlier run stays visible. A job closed without {@code succeeded()} or
 * {@link #failed(Throwable)} counts as failed with {@code exception="unfinished"}.
 */
public final class BatchJob implements AutoCloseable {

  private final PushGateway gateway;
  private final GroupingKey key;
  private final PrometheusRegistry registry;
  private final InstantSource clock;
  private final Instant started;
  private final String prefix;
  private String failure = "unfinished";
  private boolean success;
  private PushResult result;

  private BatchJob(PushGateway gateway, GroupingKey key, PrometheusRegistry registry, InstantSource clock) {
    this.gateway = gateway;
    this.key = key;
    this.registry = registry;
    this.clock = clock;
    this.started = clock.instant();
    this.prefix = metricPrefix(key.job());
  }

  /** Starts timing a job that registers its metrics on a fresh registry, {@link #registry()}. */
  public static BatchJob start(PushGateway gateway, GroupingKey key) {
    return start(gateway, key, new PrometheusRegistry(), InstantSource.system());
  }

  /** Starts timing a job whose metrics are on {@code registry}, reading time from {@code clock}. */
  public static BatchJob start(PushGateway gateway, GroupingKey key, PrometheusRegistry registry,
      InstantSource clock) {
    return new BatchJob(gateway, key, registry, clock);
  }

  /** The registry whose metrics are pushed on close. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** Marks the run as successful. */
  public void succeeded() {
    success = true;
  }

  /** Marks the run as failed by {@code cause}; its class name becomes the {@code exception} label. */
  public void failed(Throwable cause) {
    success = false;
    failure = cause.getClass().getName();
  }

  /** What became of the push on close, or null before. */
  public PushResult result() {
    return result;
  }

  /**
   * Pushes the job's metrics and its outcome.
   *
   * @throws PushException when they were neither sent nor spooled
   */
  @Override
  public void close() throws PushException {
    if (result != null) {
      return;
    }
    Instant now = clock.instant();
    List<MetricSnapshot> all = new ArrayList<>(registry.scrape().stream().toList());
    all.add(gauge(prefix + "_duration_seconds", "How long the last run of the job took.", Labels.EMPTY,
        Duration.between(started, now).toNanos() / 1e9));
    double seconds = now.getEpochSecond() + now.getNano() / 1e9;
    if (success) {
      all.add(gauge(prefix + "_last_success_timestamp_seconds", "When the job last succeeded.", Labels.EMPTY, seconds));
      result = gateway.push(key, new MetricSnapshots(all));
    } else {
      all.add(gauge(prefix + "_last_failure_timestamp_seconds", "When the job last failed, by exception class.",
          Labels.of("exception", failure), seconds));
      result = gateway.pushAdd(key, new MetricSnapshots(all));
    }
  }

  private static GaugeSnapshot gauge(String name, String help, Labels labels, double value) {
    return GaugeSnapshot.builder().name(name).help(help)
        .dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(value).build())
        .build();
  }

  /** The job name as a metric-name prefix: characters outside [a-zA-Z0-9_:] become '_'. */
  static String metricPrefix(String job) {
    StringBuilder sb = new StringBuilder(job.length() + 1);
    if (!job.isEmpty() && Character.isDigit(job.charAt(0))) {
      sb.append('_');
    }
    for (int i = 0; i < job.length(); i++) {
      char c = job.charAt(i);
      sb.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ':'
          ? c : '_');
    }
    return sb.toString();
  }
}
