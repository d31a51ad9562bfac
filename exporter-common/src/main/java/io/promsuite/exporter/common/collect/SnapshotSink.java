package io.promsuite.exporter.common.collect;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link MetricSink} that builds client_java snapshots; one per collector per scrape. */
public final class SnapshotSink implements MetricSink {

  enum Type { GAUGE, COUNTER, INFO }

  private final Map<String, FamilyBuffer> families = new LinkedHashMap<>();

  @Override
  public Family gauge(String name, String help, String... labelNames) {
    return family(Type.GAUGE, name, help, labelNames);
  }

  @Override
  public Family counter(String name, String help, String... labelNames) {
    if (!name.endsWith("_total")) {
      throw new IllegalArgumentException("counter " + name + " must end in _total");
    }
    return family(Type.COUNTER, name, help, labelNames);
  }

  @Override
  public Family info(String name, String help, String... labelNames) {
    if (!name.endsWith("_info")) {
      throw new IllegalArgumentException("info metric " + name + " must end in _info");
    }
    return family(Type.INFO, name, help, labelNames);
  }

  private FamilyBuffer family(Type type, String name, String help, String[] labelNames) {
    FamilyBuffer f = families.get(name);
    if (f == null) {
      f = new FamilyBuffer(type, name, help, labelNames);
      families.put(name, f);
    } else if (f.type != type || !Arrays.equals(f.labelNames, labelNames)) {
      throw new IllegalArgumentException("family " + name + " declared twice with different type or labels");
    }
    return f;
  }

  /** Families written so far, for merging across collectors. */
  Collection<FamilyBuffer> families() {
    return families.values();
  }

  /**
   * Adds every family of {@code other} to this sink, appending to shared families. {@code other} is
   * left as it was: overlapping scrapes may copy the same collector output.
   */
  void copyFrom(SnapshotSink other) {
    for (FamilyBuffer f : other.families.values()) {
      FamilyBuffer mine = families.get(f.name);
      if (mine == null) {
        mine = new FamilyBuffer(f.type, f.name, f.help, f.labelNames);
        families.put(f.name, mine);
      }
      if (mine.type == f.type && Arrays.equals(mine.labelNames, f.labelNames)) {
        mine.values.addAll(f.values);
      }
    }
  }

  /** Everything written so far, as client_java snapshots. */
  public List<MetricSnapshot> snapshots() {
    List<MetricSnapshot> out = new ArrayList<>(families.size());
    for (FamilyBuffer f : families.values()) {
      out.add(f.snapshot());
    }
    return out;
  }

  static final class FamilyBuffer implements Family {
    final Type type;
    final String name;
    final String help;
    final String[] labelNames;
    final List<Object[]> values = new ArrayList<>();

    FamilyBuffer(Type type, String name, String help, String[] labelNames) {
      this.type = type;
      this.name = name;
      this.help = help;
      this.labelNames = labelNames.clone();
    }

    @Override
    public Family add(double value, String... labelValues) {
      if (labelValues.length != labelNames.length) {
        throw new IllegalArgumentException(name + ": " + labelNames.length + " label values expected, got "
            + labelValues.length);
      }
      values.add(new Object[] {value, labelValues});
      return this;
    }

    private Labels labels(Object[] v) {
      return labelNames.length == 0 ? Labels.EMPTY : Labels.of(labelNames, (String[]) v[1]);
    }

    MetricSnapshot snapshot() {
      switch (type) {
        case COUNTER -> {
          CounterSnapshot.Builder b = CounterSnapshot.builder()
              .name(name.substring(0, name.length() - "_total".length())).help(help);
          for (Object[] v : values) {
            b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .value((Double) v[0]).labels(labels(v)).build());
          }
          return b.build();
        }
        case INFO -> {
          InfoSnapshot.Builder b = InfoSnapshot.builder()
              .name(name.substring(0, name.length() - "_info".length())).help(help);
          for (Object[] v : values) {
            b.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(labels(v)).build());
          }
          return b.build();
        }
        default -> {
          GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
          for (Object[] v : values) {
            b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                .value((Double) v[0]).labels(labels(v)).build());
          }
          return b.build();
        }
      }
    }
  }
}
