package io.promsuite.exporter.blackbox.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's base-2 byte sizes ({@code 1MB} = 1 MiB, {@code 512KB}, {@code 100B}) as blackbox_exporter reads them. */
final class ByteSizes {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGT]?I?B)?", Pattern.CASE_INSENSITIVE);

  private ByteSizes() {}

  static long parse(String text) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a size (e.g. 512KB, 1MB, 100B)");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT).replace("I", "");
    return switch (unit) {
      case "KB" -> n << 10;
      case "MB" -> n << 20;
      case "GB" -> n << 30;
      case "TB" -> n << 40;
      default -> n;
    };
  }
}
