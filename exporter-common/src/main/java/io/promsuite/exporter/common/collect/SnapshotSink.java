package io.promsuite.exporter.common.collect;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import io.promsuite.exporter.common.log.Logging;
import io.promsuite.exporter.common.web.TextFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A {@link MetricSink} that buffers what collectors write, one per collector per scrape. The text
 * format is written straight from the buffers ({@link #families()}, {@link Family#writeText});
 * client_java snapshots, for OpenMetrics and protobuf, are built only when asked for.
 */
public final class SnapshotSink implements MetricSink {

  /** The family types the sink knows. */
  public enum Type { GAUGE, COUNTER, INFO, UNTYPED, HISTOGRAM, SUMMARY }

  private static final Logger LOG = Logger.getLogger(SnapshotSink.class.getName());

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
  public Family untyped(String name, String help, String... labelNames) {
    return family(Type.UNTYPED, name, help, labelNames);
  }

  @Override
  public Family histogram(String name, String help, String... labelNames) {
    return family(Type.HISTOGRAM, name, help, labelNames);
  }

  @Override
  public Family summary(String name, String help, String... labelNames) {
    return family(Type.SUMMARY, name, help, labelNames);
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
   * left as it was: overlapping scrapes may copy the same collector output. As client_golang's
   * registry does for node_exporter, a family that another collector already wrote with another
   * type, help or label names is dropped, and so is a sample whose label values are already
   * there (a text file repeating a collected metric); each is logged, the rest is served.
   */
  void copyFrom(SnapshotSink other, String collector) {
    for (Family f : other.families.values()) {
      Family mine = families.get(f.name);
      if (mine == null) {
        mine = new Family(f.type, f.name, f.help, f.labelNames);
        families.put(f.name, mine);
        mine.append(f);
      } else if (mine.type != f.type || !mine.help.equals(f.help) || !Arrays.equals(mine.labelNames, f.labelNames)) {
        Logging.log(LOG, Level.WARNING, "family dropped: already collected with another type, help or labels",
            "collector", collector, "family", f.name);
      } else {
        int dropped = mine.appendNew(f);
        if (dropped > 0) {
          Logging.log(LOG, Level.WARNING, "samples dropped: already collected with the same name and label values",
              "collector", collector, "family", f.name, "samples", dropped);
        }
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
   * A family's checked name and label names in client_java's (sorted) order. Collectors declare
   * the same families on every scrape, so each is checked and sorted once per name, not per scrape
   * (that was 4.5 % of host-exporter's scrape CPU); a name seen with other label names is checked
   * again. The arrays are never written after they are made.
   */
  private record Shape(String[] labelNames, String[] sortedNames, int[] order) {
    private static final int LIMIT = 10_000;
    private static final Map<String, Shape> SEEN = new java.util.concurrent.ConcurrentHashMap<>();

    static Shape of(String name, String[] labelNames) {
      Shape known = SEEN.get(name);
      if (known != null && Arrays.equals(known.labelNames, labelNames)) {
        return known;
      }
      Shape made = make(name, labelNames);
      if (SEEN.size() < LIMIT) {
        SEEN.put(name, made);
      }
      return made;
    }

    private static Shape make(String name, String[] labelNames) {
      TextFormat.checkMetricName(name);
      String[] names = labelNames.clone();
      Integer[] idx = new Integer[names.length];
      for (int i = 0; i < idx.length; i++) {
        TextFormat.checkLabelName(name, names[i]);
        idx[i] = i;
      }
      Arrays.sort(idx, Comparator.comparing(i -> names[i]));
      int[] order = new int[idx.length];
      String[] sorted = new String[idx.length];
      for (int i = 0; i < idx.length; i++) {
        order[i] = idx[i];
        sorted[i] = names[idx[i]];
        if (i > 0 && sorted[i].equals(sorted[i - 1])) {
          throw new IllegalArgumentException(name + ": label " + sorted[i] + " declared twice");
        }
      }
      return new Shape(names, sorted, order);
    }
  }

  /**
   * One family's samples: values and label-value tuples in arrays, no per-sample object. Label
   * names are checked and put in client_java's order (sorted) once, when the family is declared.
   */
  public static final class Family implements MetricSink.Family, MetricSink.Distribution {
    final Type type;
    final String name;
    final String help;
    final String[] labelNames;
    private final String[] sortedNames;
    private final int[] order;
    private double[] values = new double[8];
    private String[][] labelValues = new String[8][];
    /** Histograms and summaries: bucket bounds or quantiles, counts or values, and the count; values[] holds the sum. */
    private double[][] keys;
    private double[][] keyValues;
    private double[] counts;
    private int size;

    Family(Type type, String name, String help, String[] labelNames) {
      Shape shape = Shape.of(name, labelNames);
      this.type = type;
      this.name = name;
      this.help = help;
      this.labelNames = shape.labelNames;
      this.order = shape.order;
      this.sortedNames = shape.sortedNames;
    }

    @Override
    public Family add(double value, String... labelValues) {
      if (type == Type.HISTOGRAM || type == Type.SUMMARY) {
        throw new IllegalArgumentException(name + ": a " + type + " takes whole distributions");
      }
      return addSample(value, labelValues);
    }

    @Override
    public Family add(double[] keys, double[] values, double sum, double count, String... labelValues) {
      if (type != Type.HISTOGRAM && type != Type.SUMMARY) {
        throw new IllegalArgumentException(name + ": only histograms and summaries take distributions");
      }
      if (keys.length != values.length) {
        throw new IllegalArgumentException(name + ": " + keys.length + " keys but " + values.length + " values");
      }
      Integer[] idx = new Integer[keys.length];
      for (int i = 0; i < idx.length; i++) {
        idx[i] = i;
      }
      Arrays.sort(idx, Comparator.comparingDouble(i -> keys[i]));
      double[] k = new double[keys.length];
      double[] v = new double[keys.length];
      for (int i = 0; i < idx.length; i++) {
        k[i] = keys[idx[i]];
        v[i] = values[idx[i]];
      }
      if (this.keys == null) {
        this.keys = new double[this.values.length][];
        this.keyValues = new double[this.values.length][];
        this.counts = new double[this.values.length];
      }
      addSample(sum, labelValues);
      this.keys[size - 1] = k;
      this.keyValues[size - 1] = v;
      this.counts[size - 1] = count;
      return this;
    }

    private Family addSample(double value, String... labelValues) {
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
        if (keys != null) {
          keys = Arrays.copyOf(keys, size * 2);
          keyValues = Arrays.copyOf(keyValues, size * 2);
          counts = Arrays.copyOf(counts, size * 2);
        }
      }
      values[size] = value;
      this.labelValues[size] = labelValues;
      size++;
      return this;
    }

    private void append(Family other) {
      for (int i = 0; i < other.size; i++) {
        copySample(other, i);
      }
    }

    private void copySample(Family other, int i) {
      if (other.keys != null) {
        add(other.keys[i], other.keyValues[i], other.values[i], other.counts[i], other.labelValues[i]);
      } else {
        addSample(other.values[i], other.labelValues[i]);
      }
    }

    /** Appends the samples of {@code other} whose label values this family lacks; returns how many it left out. */
    private int appendNew(Family other) {
      Set<List<String>> seen = new HashSet<>();
      for (int i = 0; i < size; i++) {
        seen.add(List.of(labelValues[i]));
      }
      int dropped = 0;
      for (int i = 0; i < other.size; i++) {
        if (seen.add(List.of(other.labelValues[i]))) {
          copySample(other, i);
        } else {
          dropped++;
        }
      }
      return dropped;
    }

    /** The name families are sorted by, as client_java sorts them: a counter's without {@code _total}. */
    public String sortKey() {
      return switch (type) {
        // A counter read from a text file may lack the suffix; it is exposed as named.
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
      TextFormat.header(sb, name, help, switch (type) {
        case COUNTER -> "counter";
        case UNTYPED -> "untyped";
        case HISTOGRAM -> "histogram";
        case SUMMARY -> "summary";
        default -> "gauge";
      });
      for (int s = 0; s < size; s++) {
        if (keys == null) {
          sample(sb, name, s, null, 0, type == Type.INFO ? 1 : values[s]);
        } else {
          boolean histogram = type == Type.HISTOGRAM;
          double[] k = keys[s];
          for (int i = 0; i < k.length; i++) {
            sample(sb, histogram ? name + "_bucket" : name, s, histogram ? "le" : "quantile", k[i], keyValues[s][i]);
          }
          if (histogram && (k.length == 0 || k[k.length - 1] != Double.POSITIVE_INFINITY)) {
            sample(sb, name + "_bucket", s, "le", Double.POSITIVE_INFINITY, counts[s]);
          }
          sample(sb, name + "_sum", s, null, 0, values[s]);
          sample(sb, name + "_count", s, null, 0, counts[s]);
        }
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

    /** One line; {@code extra} (le, quantile) goes last, as client_golang writes it. */
    private void sample(StringBuilder sb, String sampleName, int s, String extra, double extraValue, double value) {
      sb.append(sampleName);
      String[] v = labelValues[s];
      if (order.length > 0 || extra != null) {
        sb.append('{');
        for (int i = 0; i < order.length; i++) {
          if (i > 0) {
            sb.append(',');
          }
          sb.append(sortedNames[i]).append("=\"");
          TextFormat.escapeLabelValue(sb, v[order[i]]);
          sb.append('"');
        }
        if (extra != null) {
          sb.append(order.length > 0 ? "," : "").append(extra).append("=\"").append(GoFloat.format(extraValue)).append('"');
        }
        sb.append('}');
      }
      sb.append(' ');
      TextFormat.value(sb, value);
      sb.append('\n');
    }

    /** client_java's buckets count per bucket, not cumulatively, and end at +Inf. */
    private ClassicHistogramBuckets buckets(int s) {
      double[] bounds = keys[s];
      double[] cumulative = keyValues[s];
      boolean inf = bounds.length > 0 && bounds[bounds.length - 1] == Double.POSITIVE_INFINITY;
      int n = inf ? bounds.length : bounds.length + 1;
      double[] b = Arrays.copyOf(bounds, n);
      long[] c = new long[n];
      double previous = 0;
      for (int i = 0; i < n; i++) {
        double cum = i < bounds.length ? cumulative[i] : counts[s];
        b[i] = i < bounds.length ? bounds[i] : Double.POSITIVE_INFINITY;
        c[i] = (long) Math.max(0, cum - previous);
        previous = cum;
      }
      return ClassicHistogramBuckets.of(b, c);
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
        case UNTYPED -> {
          UnknownSnapshot.Builder b = UnknownSnapshot.builder().name(name).help(help);
          for (int s = 0; s < size; s++) {
            b.dataPoint(UnknownSnapshot.UnknownDataPointSnapshot.builder().value(values[s]).labels(labels(s)).build());
          }
          return b.build();
        }
        case HISTOGRAM -> {
          HistogramSnapshot.Builder b = HistogramSnapshot.builder().name(name).help(help);
          for (int s = 0; s < size; s++) {
            b.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                .classicHistogramBuckets(buckets(s)).sum(values[s]).labels(labels(s)).build());
          }
          return b.build();
        }
        case SUMMARY -> {
          SummarySnapshot.Builder b = SummarySnapshot.builder().name(name).help(help);
          for (int s = 0; s < size; s++) {
            Quantiles.Builder q = Quantiles.builder();
            for (int i = 0; i < keys[s].length; i++) {
              q.quantile(new Quantile(keys[s][i], keyValues[s][i]));
            }
            b.dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder().quantiles(q.build())
                .sum(values[s]).count((long) counts[s]).labels(labels(s)).build());
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
