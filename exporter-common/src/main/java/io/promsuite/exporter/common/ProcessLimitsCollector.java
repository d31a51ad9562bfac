package io.promsuite.exporter.common;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code process_virtual_memory_max_bytes} from /proc/self/limits ("Max address space"), the one
 * process_* family of the Go exporters that client_java's ProcessMetrics lacks; unlimited is
 * 2^64 - 1 as client_golang reports it. Nothing where /proc is not there.
 */
final class ProcessLimitsCollector implements MultiCollector {
  private final Path limits;

  ProcessLimitsCollector(Path limits) {
    this.limits = limits;
  }

  @Override
  public MetricSnapshots collect() {
    String text;
    try (InputStream in = Files.newInputStream(limits)) {
      text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return MetricSnapshots.of();
    }
    for (String line : text.split("\n")) {
      if (line.startsWith("Max address space")) {
        String soft = line.substring("Max address space".length()).trim().split("\\s+")[0];
        double value = soft.equals("unlimited") ? 18446744073709551615.0 : Double.parseDouble(soft);
        return MetricSnapshots.of(GaugeSnapshot.builder().name("process_virtual_memory_max_bytes")
            .help("Maximum amount of virtual memory available in bytes.")
            .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build()).build());
      }
    }
    return MetricSnapshots.of();
  }
}
