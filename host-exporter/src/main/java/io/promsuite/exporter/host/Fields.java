package io.promsuite.exporter.host;

import java.util.ArrayList;
import java.util.List;

/** Whitespace splitting for /proc lines without regex (this is the scrape path). */
final class Fields {
  private Fields() {}

  static List<String> split(String line) {
    List<String> out = new ArrayList<>(24);
    int n = line.length();
    int i = 0;
    while (i < n) {
      while (i < n && Character.isWhitespace(line.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !Character.isWhitespace(line.charAt(i))) {
        i++;
      }
      if (i > start) {
        out.add(line.substring(start, i));
      }
    }
    return out;
  }

  /** Splits text into lines without regex. */
  static List<String> lines(String text) {
    List<String> out = new ArrayList<>(64);
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        out.add(text.substring(start, i));
        start = i + 1;
      }
    }
    if (start < text.length()) {
      out.add(text.substring(start));
    }
    return out;
  }
}
