package io.promsuite.exporter.common;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/** {@code <prefix>_config_last_reload_successful} and {@code _success_timestamp_seconds}. */
final class ReloadStatus implements MultiCollector {
  private final String prefix;
  private volatile boolean lastOk = true;
  private volatile double lastSuccess = System.currentTimeMillis() / 1000.0;

  ReloadStatus(String prefix) {
    this.prefix = prefix;
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
        gauge(prefix + "_config_last_reload_successful", "Whether the last configuration reload attempt was successful.",
            lastOk ? 1 : 0),
        gauge(prefix + "_config_last_reload_success_timestamp_seconds",
            "Timestamp of the last successful configuration reload.", lastSuccess));
  }

  private static GaugeSnapshot gauge(String name, String help, double v) {
    return GaugeSnapshot.builder().name(name).help(help)
        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(v).build()).build();
  }
}
