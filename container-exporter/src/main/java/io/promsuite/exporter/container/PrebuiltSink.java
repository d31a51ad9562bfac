package io.promsuite.exporter.container;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.promsuite.exporter.common.collect.MetricSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link MetricSink} that builds client_java snapshots directly, so the container families can
 * be built once per refresh in the background and served as they are by every scrape. (The
 * framework's SnapshotSink does the same per scrape but is not public.) Gauges and counters only.
 */
final class PrebuiltSink implements MetricSink {
  private final Map<String, Builder> families = new LinkedHashMap<>();

  @Override
  public Family gauge(String name, String help, String... labelNames) {
    return families.computeIfAbsent(name, n -> new Builder(false, n, help, labelNames));
  }

  @Override
  public Family counter(String name, String help, String... labelNames) {
    if (!name.endsWith("_total")) {
      throw new IllegalArgumentException("counter " + name + " must end in _total");
    }
    return families.computeIfAbsent(name, n -> new Builder(true, n, help, labelNames));
  }

  @Override
  public Family info(String name, String help, String... labelNames) {
    throw new UnsupportedOperationException("no info metrics among the container families");
  }

  MetricSnapshots build() {
    List<MetricSnapshot> out = new ArrayList<>(families.size());
    for (Builder b : families.values()) {
      out.add(b.counter ? b.counters.build() : b.gauges.build());
    }
    return new MetricSnapshots(out);
  }

  private static final class Builder implements Family {
    final boolean counter;
    final String[] labelNames;
    final CounterSnapshot.Builder counters;
    final GaugeSnapshot.Builder gauges;

    Builder(boolean counter, String name, String help, String[] labelNames) {
      this.counter = counter;
      this.labelNames = labelNames.clone();
      this.counters = counter ? CounterSnapshot.builder().name(name.substring(0, name.length() - 6)).help(help) : null;
      this.gauges = counter ? null : GaugeSnapshot.builder().name(name).help(help);
    }

    @Override
    public Family add(double value, String... labelValues) {
      Labels labels = labelNames.length == 0 ? Labels.EMPTY : Labels.of(labelNames, labelValues);
      if (counter) {
        counters.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(value).labels(labels).build());
      } else {
        gauges.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).labels(labels).build());
      }
      return this;
    }
  }
}
