package io.promsuite.pushgateway.cli;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Reads the optional {@code {name="value",...}} part of a sample line. */
final class LabelParser {

  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private final Cursor c;
  private final String metric;

  LabelParser(Cursor c, String metric) {
    this.c = c;
    this.metric = metric;
  }

  /** The labels, sorted by name; empty when the sample has no braces. */
  TreeMap<String, String> parse() throws ExpositionTextException {
    TreeMap<String, String> labels = new TreeMap<>();
    if (c.atEnd() || c.peek() != '{') {
      return labels;
    }
    c.next();
    while (true) {
      c.skipBlanks();
      if (c.atEnd()) {
        throw c.error("labels of '" + metric + "' are not closed with '}'");
      }
      if (c.peek() == '}') {
        c.next();
        return labels;
      }
      String name = name();
      c.skipBlanks();
      if (c.atEnd() || c.next() != '=') {
        throw c.error("label '" + name + "' of '" + metric + "' must be followed by =\"value\"");
      }
      c.skipBlanks();
      String value = quoted(name);
      if (labels.put(name, value) != null) {
        throw c.error("label '" + name + "' appears twice in '" + metric + "'");
      }
      c.skipBlanks();
      if (c.atEnd()) {
        throw c.error("labels of '" + metric + "' are not closed with '}'");
      }
      char sep = c.next();
      if (sep == '}') {
        return labels;
      }
      if (sep != ',') {
        throw c.error("expected ',' or '}' after label '" + name + "' of '" + metric + "', found '" + sep + "'");
      }
    }
  }

  private String name() throws ExpositionTextException {
    int start = c.pos;
    while (!c.atEnd() && c.peek() != '=' && c.peek() != ',' && c.peek() != '}' && !c.isBlank()) {
      c.pos++;
    }
    String name = c.text.substring(start, c.pos);
    if (!LABEL_NAME.matcher(name).matches()) {
      throw c.error("bad label name '" + name + "' in '" + metric + "': must match [a-zA-Z_][a-zA-Z0-9_]*");
    }
    if (name.startsWith("__")) {
      throw c.error("bad label name '" + name + "' in '" + metric + "': names starting with __ are reserved");
    }
    return name;
  }

  private String quoted(String name) throws ExpositionTextException {
    if (c.atEnd() || c.next() != '"') {
      throw c.error("value of label '" + name + "' in '" + metric + "' must be in double quotes");
    }
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (c.atEnd()) {
        throw c.error("value of label '" + name + "' in '" + metric + "' has no closing quote");
      }
      char ch = c.next();
      if (ch == '"') {
        return sb.toString();
      }
      if (ch == '\\') {
        char e = c.atEnd() ? ' ' : c.next();
        switch (e) {
          case '\\' -> sb.append('\\');
          case '"' -> sb.append('"');
          case 'n' -> sb.append('\n');
          default -> throw c.error("invalid escape '\\" + e + "' in label '" + name + "' of '" + metric
              + "': only \\\\, \\\" and \\n are allowed");
        }
      } else {
        sb.append(ch);
      }
    }
  }

  /** Labels as they would be written, for messages. */
  static String format(Map<String, String> labels) {
    if (labels.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder("{");
    labels.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append(k).append("=\"")
        .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"'));
    return sb.append('}').toString();
  }
}
