package io.promsuite.exporter.blackbox.prober;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.promsuite.exporter.common.collect.GoFloat;
import io.promsuite.exporter.common.collect.MetricSink;
import io.promsuite.exporter.common.web.TextFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of one probe: gauges by family, where {@code add} sums into the sample with the same
 * labels (blackbox_exporter sums phase durations over redirects) and {@code set} replaces it.
 * Thread-safe, and {@link #freeze()} stops a prober that overran its deadline from changing what is
 * being served.
 */
public final class ProbeSink implements MetricSink {
  private final Map<String, Gauge> families = new LinkedHashMap<>();
  private boolean frozen;

  /** A gauge family of this probe. */
  public final class Gauge implements Family {
    final String name;
    final String help;
    final String[] labelNames;
    final boolean info;
    final Map<List<String>, Double> values = new LinkedHashMap<>();

    private Gauge(String name, String help, String[] labelNames, boolean info) {
      this.name = name;
      this.help = help;
      this.labelNames = labelNames.clone();
      this.info = info;
    }

    @Override
    public Gauge add(double value, String... labelValues) {
      update(value, labelValues, true);
      return this;
    }

    /** Sets the sample with these label values. */
    public Gauge set(double value, String... labelValues) {
      update(value, labelValues, false);
      return this;
    }

    private void update(double value, String[] labelValues, boolean sum) {
      if (labelValues.length != labelNames.length) {
        throw new IllegalArgumentException(name + ": " + labelNames.length + " label values expected");
      }
      synchronized (ProbeSink.this) {
        if (frozen) {
          return;
        }
        List<String> key = List.of(labelValues);
        values.merge(key, value, sum ? Double::sum : (a, b) -> b);
      }
    }
  }

  @Override
  public synchronized Gauge gauge(String name, String help, String... labelNames) {
    return family(name, help, labelNames, false);
  }

  /** Not used by probes: blackbox_exporter exposes only gauges. */
  @Override
  public Family counter(String name, String help, String... labelNames) {
    throw new UnsupportedOperationException("probes expose gauges only");
  }

  /** A gauge whose name ends in {@code _info} and whose samples are 1 (TLS version, chain info). */
  @Override
  public synchronized Gauge info(String name, String help, String... labelNames) {
    return family(name, help, labelNames, true);
  }

  private Gauge family(String name, String help, String[] labelNames, boolean info) {
    Gauge g = families.get(name);
    if (g == null) {
      g = new Gauge(name, help, labelNames, info);
      if (!frozen) {
        families.put(name, g);
      }
    } else if (!Arrays.equals(g.labelNames, labelNames)) {
      throw new IllegalArgumentException("family " + name + " declared twice with different labels");
    }
    return g;
  }

  /** Ignores every later change; for a probe that overran its deadline. */
  public synchronized void freeze() {
    frozen = true;
  }

  /** Removes a family (a prober that registers a metric only when it has a value). */
  public synchronized void remove(String name) {
    if (!frozen) {
      families.remove(name);
    }
  }

  /** The value of an unlabelled gauge, or NaN; for the handler's own bookkeeping and tests. */
  public synchronized double value(String name) {
    Gauge g = families.get(name);
    if (g == null) {
      return Double.NaN;
    }
    Double v = g.values.get(List.of());
    return v == null ? Double.NaN : v;
  }

  /** Snapshots sorted by name, as client_golang gathers them. */
  public synchronized MetricSnapshots snapshots() {
    List<MetricSnapshot> out = new ArrayList<>(families.size());
    for (Gauge g : families.values()) {
      if (g.info) {
        InfoSnapshot.Builder b = InfoSnapshot.builder()
            .name(g.name.substring(0, g.name.length() - "_info".length())).help(g.help);
        g.values.keySet().forEach(k -> b.dataPoint(
            InfoSnapshot.InfoDataPointSnapshot.builder().labels(labels(g.labelNames, k)).build()));
        out.add(b.build());
      } else {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(g.name).help(g.help);
        g.values.forEach((k, v) -> b.dataPoint(
            GaugeSnapshot.GaugeDataPointSnapshot.builder().value(v).labels(labels(g.labelNames, k)).build()));
        out.add(b.build());
      }
    }
    return new MetricSnapshots(out);
  }

  /**
   * The text exposition (0.0.4) exactly as client_golang writes it for blackbox_exporter:
   * families and samples sorted, values in Go's shortest float format ({@code 1}, {@code 3.668918509e+09}).
   */
  public synchronized String text() {
    StringBuilder out = new StringBuilder(2048);
    List<Gauge> sorted = new ArrayList<>(families.values());
    sorted.sort(java.util.Comparator.comparing(g -> g.name));
    for (Gauge g : sorted) {
      TextFormat.header(out, g.name, g.help, "gauge");
      List<Map.Entry<List<String>, Double>> samples = new ArrayList<>(g.values.entrySet());
      samples.sort((a, b) -> compare(a.getKey(), b.getKey()));
      for (Map.Entry<List<String>, Double> sample : samples) {
        out.append(g.name);
        if (g.labelNames.length > 0) {
          out.append('{');
          for (int i = 0; i < g.labelNames.length; i++) {
            if (i > 0) {
              out.append(',');
            }
            out.append(g.labelNames[i]).append("=\"");
            TextFormat.escapeLabelValue(out, sample.getKey().get(i));
            out.append('"');
          }
          out.append('}');
        }
        out.append(' ').append(GoFloat.format(g.info ? 1 : sample.getValue())).append('\n');
      }
    }
    return out.toString();
  }

  private static int compare(List<String> a, List<String> b) {
    for (int i = 0; i < a.size(); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static Labels labels(String[] names, List<String> values) {
    return names.length == 0 ? Labels.EMPTY : Labels.of(names, values.toArray(String[]::new));
  }
}
