package io.promsuite.pushgateway.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks that every histogram and summary series is whole, as text format 0.0.4 requires and the
 * Pushgateway does not check: it takes an incomplete or inconsistent series and stores something
 * else (a missing {@code _count} or {@code _sum} becomes 0, a negative or fractional count wraps or
 * is cut to a whole number, a {@code +Inf} bucket is invented from {@code _count}, two bounds that
 * are the same number become two identical series that Prometheus then refuses to scrape).
 *
 * <p>Per series (the labels other than {@code le}/{@code quantile}): a histogram has a {@code +Inf}
 * bucket equal to its {@code _count}, bucket counts that do not decrease as {@code le} grows, each
 * bound once, and {@code _sum}; a summary has {@code _count} and {@code _sum} and quantiles in
 * [0, 1], each once. Counts are whole numbers, not negative. Lines may come in any order.
 */
final class CompleteSeries {

  private record Sample(double value, int line) {}

  private static final class Series {
    final String family;
    final boolean histogram;
    final String labels;
    final int firstLine;
    final TreeMap<Double, Sample> bounds = new TreeMap<>();
    Sample count;
    boolean sum;

    Series(String family, boolean histogram, String labels, int firstLine) {
      this.family = family;
      this.histogram = histogram;
      this.labels = labels;
      this.firstLine = firstLine;
    }

    String name() {
      return family + labels;
    }
  }

  private final Map<String, Series> series = new LinkedHashMap<>();

  /**
   * Records one sample of a histogram or summary family.
   *
   * @param suffix {@code _bucket}, {@code _sum}, {@code _count} or empty (a summary's quantile)
   */
  void sample(Cursor c, String family, boolean histogram, String suffix, TreeMap<String, String> labels, double value)
      throws ExpositionTextException {
    String bound = histogram ? "le" : "quantile";
    TreeMap<String, String> rest = new TreeMap<>(labels);
    String boundText = suffix.equals("_bucket") || suffix.isEmpty() ? rest.remove(bound) : null;
    String labelText = LabelParser.format(rest);
    Series s = series.computeIfAbsent(family + labelText, k -> new Series(family, histogram, labelText, c.line));
    switch (suffix) {
      case "_sum" -> s.sum = true;
      case "_count" -> {
        wholeCount(c, family + "_count" + labelText, value);
        s.count = new Sample(value, c.line);
      }
      default -> {
        double at = parseFloat(boundText);
        String what = (histogram ? family + "_bucket" : family) + LabelParser.format(labels);
        if (Double.isNaN(at)) {
          throw c.error(bound + "=\"NaN\" of '" + what + "' is not a " + (histogram ? "bucket bound" : "quantile"));
        }
        if (histogram) {
          wholeCount(c, what, value);
        } else if (at < 0 || at > 1) {
          throw c.error("quantile=\"" + boundText + "\" of '" + what + "' is outside [0, 1]");
        }
        Sample first = s.bounds.putIfAbsent(at, new Sample(value, c.line));
        if (first != null) {
          throw c.error("'" + what + "' repeats " + bound + " " + at + " of line " + first.line()
              + " (the same number, written differently)");
        }
      }
    }
  }

  /** The checks that need every line: called after the last. */
  void finish() throws ExpositionTextException {
    for (Series s : series.values()) {
      if (s.count == null) {
        throw new ExpositionTextException(s.firstLine, missing(s, "_count"));
      }
      if (!s.sum) {
        throw new ExpositionTextException(s.firstLine, missing(s, "_sum"));
      }
      if (s.histogram) {
        buckets(s);
      }
    }
  }

  private static void buckets(Series s) throws ExpositionTextException {
    Sample inf = s.bounds.get(Double.POSITIVE_INFINITY);
    if (inf == null) {
      throw new ExpositionTextException(s.firstLine, "histogram '" + s.name() + "' has no " + s.family
          + "_bucket{le=\"+Inf\"}: it must be there and equal " + s.family + "_count");
    }
    if (inf.value() != s.count.value()) {
      throw new ExpositionTextException(inf.line(), "bucket le=\"+Inf\" of '" + s.name() + "' is " + number(inf.value())
          + " but " + s.family + "_count is " + number(s.count.value()) + " (line " + s.count.line() + "): they must be equal");
    }
    Map.Entry<Double, Sample> below = null;
    for (Map.Entry<Double, Sample> b : s.bounds.entrySet()) {
      if (below != null && b.getValue().value() < below.getValue().value()) {
        throw new ExpositionTextException(b.getValue().line(), "bucket le=\"" + number(b.getKey()) + "\" of '"
            + s.name() + "' is " + number(b.getValue().value()) + ", less than le=\"" + number(below.getKey())
            + "\" (" + number(below.getValue().value()) + ", line " + below.getValue().line()
            + "): buckets count cumulatively, so they never decrease");
      }
      below = b;
    }
  }

  private static String missing(Series s, String suffix) {
    return (s.histogram ? "histogram '" : "summary '") + s.name() + "' has no " + s.family + suffix + s.labels;
  }

  private static void wholeCount(Cursor c, String what, double value) throws ExpositionTextException {
    if (!(value >= 0) || value != Math.rint(value) || Double.isInfinite(value)) {
      throw c.error("count '" + what + "' is " + number(value)
          + ": must be a whole number, not negative (the gateway keeps counts as integers)");
    }
  }

  static double parseFloat(String text) {
    return Double.parseDouble(text.replaceAll("(?i)infinity|inf", "Infinity").replaceAll("(?i)nan", "NaN"));
  }

  private static String number(double v) {
    return v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
        : Double.isInfinite(v) ? (v > 0 ? "+Inf" : "-Inf") : Double.toString(v);
  }
}
