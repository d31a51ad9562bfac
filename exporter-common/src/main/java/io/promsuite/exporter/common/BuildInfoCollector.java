package io.promsuite.exporter.common;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/** {@code <prefix>_exporter_build_info{version,revision,branch,javaversion} 1}, as node_exporter's build info. */
final class BuildInfoCollector implements MultiCollector {
  private final MetricSnapshots snapshots;

  BuildInfoCollector(String prefix, BuildInfo build) {
    // A gauge, not an info snapshot: node_exporter declares it "gauge" in every format.
    snapshots = MetricSnapshots.of(GaugeSnapshot.builder()
        .name(prefix + "_exporter_build_info")
        .help("A metric with a constant '1' value labeled by version, revision, branch, and javaversion from which "
            + prefix + "_exporter was built.")
        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(1)
            .labels(Labels.of("branch", build.branch(), "javaversion", build.javaVersion(),
                "revision", build.revision(), "version", build.version()))
            .build())
        .build());
  }

  @Override
  public MetricSnapshots collect() {
    return snapshots;
  }
}
