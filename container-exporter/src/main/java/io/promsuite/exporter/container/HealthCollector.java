package io.promsuite.exporter.container;

import io.promsuite.exporter.common.collect.BackgroundRefresh;
import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.util.Map;
import java.util.TreeMap;

/**
 * The exporter's own health: whether the Docker daemon answers, how many containers are known,
 * and how long the background refreshes take and how often they fail.
 */
public final class HealthCollector implements Collector {
  private final ContainerCatalog catalog;
  private final String source;

  /** @param source the usage source in use ("docker" or "cgroup v1"/"cgroup v2"), as an info label */
  public HealthCollector(ContainerCatalog catalog, String source) {
    this.catalog = catalog;
    this.source = source;
  }

  @Override
  public void collect(MetricSink sink) {
    ContainerCatalog.Snapshot snap = catalog.snapshot();
    sink.gauge("container_exporter_docker_up", "Whether the Docker daemon answered the last container listing (1) or not (0).")
        .add(snap.dockerUp() ? 1 : 0);
    sink.gauge("container_exporter_containers", "Running containers the exporter currently reports.")
        .add(snap.containers().size());
    sink.info("container_exporter_source_info", "Where container usage is read from.", "source").add(1, source);
    MetricSink.Family duration = sink.gauge("container_exporter_refresh_duration_seconds",
        "Duration of the last background refresh, by kind (list: Docker containers, usage: per-container readings).", "kind");
    MetricSink.Family runs = sink.counter("container_exporter_refreshes_total", "Background refreshes run, by kind.", "kind");
    MetricSink.Family errors = sink.counter("container_exporter_refresh_errors_total",
        "Background refreshes that failed (list) or had at least one container that could not be read (usage), by kind.",
        "kind");
    for (Map.Entry<String, BackgroundRefresh.Stats> e : new TreeMap<>(catalog.refreshStats()).entrySet()) {
      duration.add(e.getValue().lastDurationSeconds(), e.getKey());
      runs.add(e.getValue().runs(), e.getKey());
      errors.add(e.getValue().errors(), e.getKey());
    }
  }
}
