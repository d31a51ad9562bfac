package io.promsuite.e2e.stack;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prometheus' duration syntax ({@code 1h30m}, {@code 500ms}, {@code 30d}): parse, scale, print. */
public final class PromDuration {
  private static final Pattern UNIT = Pattern.compile("(\\d+)(ms|y|w|d|h|m|s)");
  static final String SYNTAX = "(?:\\d+(?:ms|y|w|d|h|m|s))+";

  private PromDuration() {}

  /** Milliseconds of a Prometheus duration; throws naming the text when it is not one. */
  public static long parseMillis(String text) {
    String t = text.trim();
    if (!t.matches(SYNTAX)) {
      throw new IllegalArgumentException("'" + text + "' is not a Prometheus duration (like 30s, 5m, 1h30m)");
    }
    long total = 0;
    Matcher m = UNIT.matcher(t);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total += n * switch (m.group(2)) {
        case "ms" -> 1L;
        case "s" -> 1000L;
        case "m" -> 60_000L;
        case "h" -> 3_600_000L;
        case "d" -> 86_400_000L;
        case "w" -> 7 * 86_400_000L;
        case "y" -> 365 * 86_400_000L;
        default -> throw new IllegalStateException(m.group(2));
      };
    }
    return total;
  }

  /** The shortest Prometheus spelling of {@code millis}: {@code 90s} -> "1m30s", 2500 -> "2s500ms". */
  public static String format(long millis) {
    if (millis == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L, 1L};
    String[] units = {"d", "h", "m", "s", "ms"};
    long rest = millis;
    for (int i = 0; i < sizes.length; i++) {
      if (rest >= sizes[i]) {
        sb.append(rest / sizes[i]).append(units[i]);
        rest %= sizes[i];
      }
    }
    return sb.toString();
  }

  /** {@code text} divided by {@code divisor}, never below {@code floorMillis}. */
  public static String scale(String text, double divisor, long floorMillis) {
    return format(Math.max(floorMillis, Math.round(parseMillis(text) / divisor)));
  }
}
