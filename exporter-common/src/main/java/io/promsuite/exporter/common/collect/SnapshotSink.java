package io.promsuite.exporter.common.collect;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.promsuite.exporter.common.web.TextFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link MetricSink} that buffers what collectors write, one per collector per scrape. The text
 * format is written straight from the buffers ({@link #families()}, {@link Family#writeText});
 * client_java snapshots, for OpenMetrics and protobuf, are built only when asked for.
 */
public final class SnapshotSink implements MetricSink {

  /** The family types the sink knows. */
  public enum Type { GAUGE, COUNTER, INFO }

  private final Map<String, Family> families = new LinkedHashMap<>();
  private final List<Prerendered> prerendered = new ArrayList<>();

  @Override
  public Family gauge(String name, String help, String... labelNames) {
    return family(Type.GAUGE, name, help, labelNames);
  }

  @Override
  public Family counter(String name, String help, String... labelNames) {
    // A counter normally ends in _total; a few compatibility names do not (cAdvisor's
    // container_memory_failcnt): the text format exposes them as named, OpenMetrics adds _total.
    return family(Type.COUNTER, name, help, labelNames);
  }

  @Override
  public Family info(String name, String help, String... labelNames) {
    if (!name.endsWith("_info")) {
      throw new IllegalArgumentException("info metric " + name + " must end in _info");
    }
    return family(Type.INFO, name, help, labelNames);
  }

  @Override
  public void prerendered(Prerendered rendered) {
    for (String name : rendered.names()) {
      if (families.containsKey(name)) {
        throw new IllegalArgumentException("family " + name + " written both directly and pre-rendered");
      }
    }
    prerendered.add(rendered);
  }

  private Family family(Type type, String name, String help, String[] labelNames) {
    Family f = families.get(name);
    if (f == null) {
      for (Prerendered p : prerendered) {
        if (p.names().contains(name)) {
          throw new IllegalArgumentException("family " + name + " written both directly and pre-rendered");
        }
      }
      f = new Family(type, name, help, labelNames);
      families.put(name, f);
    } else if (f.type != type || !Arrays.equals(f.labelNames, labelNames)) {
      throw new IllegalArgumentException("family " + name + " declared twice with different type or labels");
    }
    return f;
  }

  /** Families written so far, in the order they were declared. */
  public Collection<Family> families() {
    return families.values();
  }

  /** Pre-rendered families added so far. */
  public List<Prerendered> prerendered() {
    return prerendered;
  }

  /**
   * Adds every family of {@code other} to this sink, appending to shared families. {@code other} is
   * left as it was: overlapping scrapes may copy the same collector output.
   */
  void copyFrom(SnapshotSink other) {
    for (Family f : other.families.values()) {
      Family mine = families.get(f.name);
      if (mine == null) {
        mine = new Family(f.type, f.name, f.help, f.labelNames);
        families.put(f.name, mine);
      }
      if (mine.type == f.type && Arrays.equals(mine.labelNames, f.labelNames)) {
        mine.append(f);
      }
    }
    for (Prerendered p : other.prerendered) {
      prerendered(p);
    }
  }

  /** Everything written so far, pre-rendered families included, as client_java snapshots. */
  public List<MetricSnapshot> snapshots() {
    List<MetricSnapshot> out = new ArrayList<>(families.size());
    for (Family f : families.values()) {
      out.add(f.snapshot());
    }
    for (Prerendered p : prerendered) {
      SnapshotSink replay = new SnapshotSink();
      p.replay(replay);
      out.addAll(replay.snapshots());
    }
    return out;
  }

  /**
   * One family's samples: values and label-value tuples in arrays, no per-sample object. Label
   * names are checked and put in client_java's order (sorted) once, when the family is declared.
   */
  public static final class Family implements MetricSink.Family {
    final Type type;
    final String name;
    final String help;
    final String[] labelNames;
    private final String[] sortedNames;
    private final int[] order;
    private double[] values = new double[8];
    private String[][] labelValues = new String[8][];
    private int size;

    Family(Type type, String name, String help, String[] labelNames) {
      TextFormat.checkMetricName(name);
      this.type = type;
      this.name = name;
      this.help = help;
      this.labelNames = labelNames.clone();
      Integer[] idx = new Integer[labelNames.length];
      for (int i = 0; i < idx.length; i++) {
        TextFormat.checkLabelName(name, labelNames[i]);
        idx[i] = i;
      }
      Arrays.sort(idx, Comparator.comparing(i -> labelNames[i]));
      this.order = new int[idx.length];
      this.sortedNames = new String[idx.length];
      for (int i = 0; i < idx.length; i++) {
        order[i] = idx[i];
        sortedNames[i] = labelNames[idx[i]];
        if (i > 0 && sortedNames[i].equals(sortedNames[i - 1])) {
          throw new IllegalArgumentException(name + ": label " + sortedNames[i] + " declared twice");
        }
      }
    }

    @Override
    public Family add(double value, String... labelValues) {
      if (labelValues.length != labelNames.length) {
        throw new IllegalArgumentException(name + ": " + labelNames.length + " label values expected, got "
            + labelValues.length);
      }
      for (String v : labelValues) {
        if (v == null) {
          throw new IllegalArgumentException(name + ": label value is null");
        }
      }
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
        this.labelValues = Arrays.copyOf(this.labelValues, size * 2);
      }
      values[size] = value;
      this.labelValues[size] = labelValues;
      size++;
      return this;
    }

    private void append(Family other) {
      for (int i = 0; i < other.size; i++) {
        add(other.values[i], other.labelValues[i]);
      }
    }

    /** The name families are sorted by, as client_java sorts them: a counter's without {@code _total}. */
    public String sortKey() {
      return switch (type) {
        case COUNTER -> name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
        case INFO -> name.substring(0, name.length() - "_info".length());
        default -> name;
      };
    }

    /** HELP, TYPE and one line per sample in the text format 0.0.4. */
    public void writeText(StringBuilder sb) {
      try {
        writeText(sb, Integer.MAX_VALUE, piece -> { });
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e); // the no-op sink throws nothing
      }
    }

    /** Receives the text of {@link #writeText(StringBuilder, int, Pieces)} piece by piece. */
    @FunctionalInterface
    public interface Pieces {
      /** Takes what {@code sb} holds; the writer empties it afterwards. */
      void take(StringBuilder sb) throws java.io.IOException;
    }

    /**
     * As {@link #writeText(StringBuilder)}, handing the text to {@code out} whenever {@code sb}
     * holds {@code chunk} characters or more (and once at the end), so a family of many thousand
     * samples never needs a buffer of its whole size.
     */
    public void writeText(StringBuilder sb, int chunk, Pieces out) throws java.io.IOException {
      TextFormat.header(sb, name, help, type == Type.COUNTER ? "counter" : "gauge");
      for (int s = 0; s < size; s++) {
        sb.append(name);
        String[] v = labelValues[s];
        if (order.length > 0) {
          sb.append('{');
          for (int i = 0; i < order.length; i++) {
            if (i > 0) {
              sb.append(',');
            }
            sb.append(sortedNames[i]).append("=\"");
            TextFormat.escapeLabelValue(sb, v[order[i]]);
            sb.append('"');
          }
          sb.append('}');
        }
        sb.append(' ');
        TextFormat.value(sb, type == Type.INFO ? 1 : values[s]);
        sb.append('\n');
        if (sb.length() >= chunk) {
          out.take(sb);
          sb.setLength(0);
        }
      }
      if (chunk != Integer.MAX_VALUE && sb.length() > 0) {
        out.take(sb);
        sb.setLength(0);
      }
    }

    private Labels labels(int s) {
      return labelNames.length == 0 ? Labels.EMPTY : Labels.of(labelNames, labelValues[s]);
    }

    MetricSnapshot snapshot() {
      switch (type) {
        case COUNTER -> {
          CounterSnapshot.Builder b = CounterSnapshot.builder().name(sortKey()).help(help);
          for (int s = 0; s < size; s++) {
            b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(values[s]).labels(labels(s)).build());
          }
          return b.build();
        }
        case INFO -> {
          InfoSnapshot.Builder b = InfoSnapshot.builder().name(sortKey()).help(help);
          for (int s = 0; s < size; s++) {
            b.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(labels(s)).build());
          }
          return b.build();
        }
        default -> {
          GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
          for (int s = 0; s < size; s++) {
            b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(values[s]).labels(labels(s)).build());
          }
          return b.build();
        }
      }
    }
  }
}
