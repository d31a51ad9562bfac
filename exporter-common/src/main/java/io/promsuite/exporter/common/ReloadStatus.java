package io.promsuite.exporter.common;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * {@code <stem>_last_reload_successful} and {@code <stem>_last_reload_success_timestamp_seconds},
 * for the exporter's config ({@code <prefix>_config}, or the stem the exporter chose with
 * {@link Exporter.Builder#configReloadMetrics}) and its web config ({@code <prefix>_web_config}).
 */
final class ReloadStatus implements MultiCollector {
  private final String stem;
  private final String successfulHelp;
  private final String timestampHelp;
  private volatile boolean lastOk = true;
  private volatile double lastSuccess = System.currentTimeMillis() / 1000.0;

  /** Prometheus' own HELP texts ({@code prometheus_config_last_reload_*}), for {@code what} is reloaded. */
  ReloadStatus(String stem, String what) {
    this(stem, "Whether the last " + what + " reload attempt was successful.",
        "Timestamp of the last successful " + what + " reload.");
  }

  ReloadStatus(String stem, String successfulHelp, String timestampHelp) {
    this.stem = stem;
    this.successfulHelp = successfulHelp;
    this.timestampHelp = timestampHelp;
  }

  void record(boolean ok) {
    lastOk = ok;
    if (ok) {
      lastSuccess = System.currentTimeMillis() / 1000.0;
    }
  }

  @Override
  public MetricSnapshots collect() {
    return MetricSnapshots.of(
        gauge(stem + "_last_reload_successful", successfulHelp, lastOk ? 1 : 0),
        gauge(stem + "_last_reload_success_timestamp_seconds", timestampHelp, lastSuccess));
  }

  private static GaugeSnapshot gauge(String name, String help, double v) {
    return GaugeSnapshot.builder().name(name).help(help)
        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(v).build()).build();
  }
}
