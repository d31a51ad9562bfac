package io.promsuite.exporter.common.web;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;

/**
 * The Prometheus text format 0.0.4 for gauge, counter, info and untyped snapshots, written into
 * one StringBuilder. client_java's writer goes through a BufferedWriter a character at a time and
 * re-validates every name on every scrape; on host-exporter's 1,100 samples that was about half of
 * a scrape's CPU (docs/benchmarks.md). Other types (histograms, summaries) are left to
 * client_java: {@link #supports} says when this writer applies.
 */
public final class TextFormat {
  private TextFormat() {}

  /** Whether this writer writes {@code s}: gauge, counter, info or unknown, without timestamps. */
  static boolean supports(MetricSnapshot s) {
    if (!(s instanceof GaugeSnapshot || s instanceof CounterSnapshot || s instanceof InfoSnapshot
        || s instanceof UnknownSnapshot)) {
      return false;
    }
    for (DataPointSnapshot d : s.getDataPoints()) {
      if (d.hasScrapeTimestamp()) {
        return false;
      }
    }
    return true;
  }

  /** One family: gauge, counter, info or unknown ({@link #supports}). */
  static void write(StringBuilder sb, MetricSnapshot s) {
    String name = s.getMetadata().getPrometheusName();
    String type;
    String suffix = "";
    if (s instanceof CounterSnapshot) {
      type = "counter";
      suffix = "_total";
    } else if (s instanceof InfoSnapshot) {
      type = "gauge";
      suffix = "_info";
    } else if (s instanceof GaugeSnapshot) {
      type = "gauge";
    } else {
      type = "untyped";
    }
    String full = name + suffix;
    header(sb, full, s.getMetadata().getHelp(), type);
    for (DataPointSnapshot d : s.getDataPoints()) {
      sb.append(full);
      labels(sb, d.getLabels());
      sb.append(' ');
      double v = switch (d) {
        case CounterSnapshot.CounterDataPointSnapshot c -> c.getValue();
        case GaugeSnapshot.GaugeDataPointSnapshot g -> g.getValue();
        case UnknownSnapshot.UnknownDataPointSnapshot u -> u.getValue();
        default -> 1;
      };
      value(sb, v);
      sb.append('\n');
    }
  }

  /** The HELP (when there is one) and TYPE lines of a family. */
  public static void header(StringBuilder sb, String name, String help, String type) {
    if (help != null) {
      sb.append("# HELP ").append(name).append(' ');
      escapeHelp(sb, help);
      sb.append('\n');
    }
    sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  /** Throws unless {@code name} is a classic metric name, {@code [a-zA-Z_:][a-zA-Z0-9_:]*}. */
  public static void checkMetricName(String name) {
    boolean ok = !name.isEmpty();
    for (int i = 0; ok && i < name.length(); i++) {
      char c = name.charAt(i);
      ok = c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
    }
    if (!ok) {
      throw new IllegalArgumentException("invalid metric name '" + name + "'");
    }
  }

  /** Throws unless {@code label} is a label name, {@code [a-zA-Z_][a-zA-Z0-9_]*}, not reserved ({@code __}). */
  public static void checkLabelName(String metric, String label) {
    boolean ok = !label.isEmpty() && !label.startsWith("__");
    for (int i = 0; ok && i < label.length(); i++) {
      char c = label.charAt(i);
      ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
    }
    if (!ok) {
      throw new IllegalArgumentException(metric + ": invalid label name '" + label + "'");
    }
  }

  private static void labels(StringBuilder sb, Labels labels) {
    if (labels.isEmpty()) {
      return;
    }
    sb.append('{');
    for (int i = 0; i < labels.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(labels.getPrometheusName(i)).append("=\"");
      escapeLabelValue(sb, labels.getValue(i));
      sb.append('"');
    }
    sb.append('}');
  }

  /** A label value as the text format escapes it: backslash, double quote and newline. */
  public static void escapeLabelValue(StringBuilder sb, String v) {
    if (v.indexOf('\\') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0) {
      sb.append(v);
      return;
    }
    for (int j = 0; j < v.length(); j++) {
      char c = v.charAt(j);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        default -> sb.append(c);
      }
    }
  }

  private static void escapeHelp(StringBuilder sb, String help) {
    if (help.indexOf('\\') < 0 && help.indexOf('\n') < 0) {
      sb.append(help);
      return;
    }
    for (int i = 0; i < help.length(); i++) {
      char c = help.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        default -> sb.append(c);
      }
    }
  }

  /** Integral values without a fraction (as Go prints them), others in Java's shortest form. */
  public static void value(StringBuilder sb, double v) {
    if (v == (long) v && Math.abs(v) < 1e15) {
      sb.append((long) v);
    } else if (Double.isNaN(v)) {
      sb.append("NaN");
    } else if (Double.isInfinite(v)) {
      sb.append(v > 0 ? "+Inf" : "-Inf");
    } else {
      sb.append(v);
    }
  }
}
