package io.promsuite.exporter.common.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prometheus/Go duration strings ({@code 1m30s}, {@code 500ms}, {@code 2.5s}) to {@link Duration}. */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|µs|ns|s|m|h|d|w|y)");

  private Durations() {}

  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty duration (expected e.g. 10s, 500ms, 1m30s)");
    }
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(text);
    int pos = 0;
    double nanos = 0;
    while (m.find() && m.start() == pos) {
      double n = Double.parseDouble(m.group(1));
      nanos += n * switch (m.group(2)) {
        case "ns" -> 1;
        case "us", "µs" -> 1e3;
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        case "h" -> 3600e9;
        case "d" -> 86400e9;
        case "w" -> 7 * 86400e9;
        default -> 365 * 86400e9;
      };
      pos = m.end();
    }
    if (pos != text.length() || pos == 0) {
      throw new IllegalArgumentException("'" + text + "' is not a duration (expected e.g. 10s, 500ms, 1m30s)");
    }
    return Duration.ofNanos((long) nanos);
  }
}
