package io.promsuite.exporter.host;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format 0.0.4 that accepts and rejects what
 * node_exporter 1.5's textfile collector does (prometheus/common 0.37's TextParser): the same
 * grammar, the same corner cases (a last line without a newline, whitespace after a value or a
 * timestamp, a TYPE after samples are errors) and the same grouping of {@code _bucket}, {@code _sum}
 * and {@code _count} lines into histograms and summaries. Errors name the line.
 */
final class TextParser {

  /** A line the format does not allow. */
  static final class ParseException extends Exception {
    ParseException(int line, String message) {
      super("text format parsing error in line " + line + ": " + message, null, false, false);
    }
  }

  /** One metric (label set) of a family; histograms and summaries keep their buckets or quantiles. */
  static final class Metric {
    /** Label names and values, alternating, in file order (arrays: a text file may hold 100,000 samples). */
    String[] labels;
    double value;
    Long timestampMs;
    double sum;
    double count;
    List<double[]> points;

    Map<String, String> labelMap() {
      Map<String, String> out = new LinkedHashMap<>();
      for (int i = 0; i < labels.length; i += 2) {
        out.put(labels[i], labels[i + 1]);
      }
      return out;
    }
  }

  /** A family as the file declares it; {@code help} is null when there is no HELP line. */
  static final class Family {
    final String name;
    String help;
    String type;
    final List<Metric> metrics = new ArrayList<>();

    Family(String name) {
      this.name = name;
    }
  }

  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern SPECIAL = Pattern.compile("(?i)[+-]?(inf|infinity)|nan");

  private final String in;
  private int pos;
  private int line;
  private final Map<String, Family> families = new LinkedHashMap<>();
  private final Map<Family, Map<Map<String, String>, Metric>> grouped = new HashMap<>();
  private Family current;
  private boolean isCount;
  private boolean isSum;

  private TextParser(String in) {
    this.in = in;
  }

  /** The families of {@code text} with at least one metric, in the order first named. */
  static List<Family> parse(String text) throws ParseException {
    TextParser p = new TextParser(text);
    p.run();
    List<Family> out = new ArrayList<>();
    for (Family f : p.families.values()) {
      if (!f.metrics.isEmpty()) {
        out.add(f);
      }
    }
    return out;
  }

  private int peek() {
    return pos < in.length() ? in.charAt(pos) : -1;
  }

  private ParseException error(String message) {
    return new ParseException(line, message);
  }

  private ParseException endOfInput() {
    return error("unexpected end of input stream");
  }

  private static boolean blank(int c) {
    return c == ' ' || c == '\t';
  }

  private void skipBlanks() {
    while (blank(peek())) {
      pos++;
    }
  }

  /** Skips blanks and fails at the end of the input, which only a line start may meet. */
  private int skipBlanksNotEnd() throws ParseException {
    skipBlanks();
    if (peek() < 0) {
      throw endOfInput();
    }
    return peek();
  }

  private void run() throws ParseException {
    while (true) {
      line++;
      skipBlanks();
      int c = peek();
      if (c < 0) {
        return;
      }
      if (c == '\n') {
        pos++;
      } else if (c == '#') {
        pos++;
        comment();
      } else {
        sample();
      }
    }
  }

  private String tokenUntilWhitespace() throws ParseException {
    int start = pos;
    while (pos < in.length() && !blank(in.charAt(pos)) && in.charAt(pos) != '\n') {
      pos++;
    }
    if (pos >= in.length()) {
      throw endOfInput();
    }
    return in.substring(start, pos);
  }

  private String name(boolean metric) throws ParseException {
    int start = pos;
    while (pos < in.length()) {
      char c = in.charAt(pos);
      boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (metric && c == ':')
          || (pos > start && c >= '0' && c <= '9');
      if (!ok) {
        break;
      }
      pos++;
    }
    if (pos >= in.length() && pos > start) {
      throw endOfInput();
    }
    return in.substring(start, pos);
  }

  private void comment() throws ParseException {
    int c = skipBlanksNotEnd();
    if (c == '\n') {
      pos++;
      return;
    }
    String keyword = tokenUntilWhitespace();
    if (peek() == '\n') {
      pos++;
      return;
    }
    if (!keyword.equals("HELP") && !keyword.equals("TYPE")) {
      int nl = in.indexOf('\n', pos);
      if (nl < 0) {
        throw endOfInput();
      }
      pos = nl + 1;
      return;
    }
    skipBlanksNotEnd();
    String name = name(true);
    if (peek() == '\n') {
      pos++;
      return;
    }
    if (!blank(peek())) {
      throw error("invalid metric name in comment");
    }
    family(name);
    if (skipBlanksNotEnd() == '\n') {
      pos++;
      return;
    }
    if (keyword.equals("HELP")) {
      if (current.help != null) {
        throw error("second HELP line for metric name " + quote(current.name));
      }
      current.help = restOfLine(true);
    } else {
      if (current.type != null) {
        throw error("second TYPE line for metric name " + quote(current.name) + ", or TYPE reported after samples");
      }
      String type = restOfLine(false);
      String upper = type.toUpperCase(Locale.ROOT);
      if (!List.of("COUNTER", "GAUGE", "SUMMARY", "UNTYPED", "HISTOGRAM").contains(upper)) {
        throw error("unknown metric type " + quote(type));
      }
      current.type = upper.toLowerCase(Locale.ROOT);
    }
  }

  /** The rest of the line; with {@code escapes}, {@code \\} and {@code \n} are the only escapes. */
  private String restOfLine(boolean escapes) throws ParseException {
    StringBuilder sb = new StringBuilder();
    boolean escaped = false;
    while (pos < in.length()) {
      char c = in.charAt(pos);
      if (escapes && escaped) {
        switch (c) {
          case '\\' -> sb.append('\\');
          case 'n' -> sb.append('\n');
          default -> throw error("invalid escape sequence '\\" + c + "'");
        }
        escaped = false;
      } else if (c == '\n') {
        pos++;
        return sb.toString();
      } else if (c == '\\' && escapes) {
        escaped = true;
      } else {
        sb.append(c);
      }
      pos++;
    }
    throw endOfInput();
  }

  /** node_exporter's grouping: {@code x_count} of a summary {@code x} belongs to {@code x}. */
  private void family(String name) {
    isCount = false;
    isSum = false;
    current = families.get(name);
    if (current != null) {
      return;
    }
    String base = strip(name, false);
    Family f = families.get(base);
    if (f != null && "summary".equals(f.type)) {
      current = f;
      isCount = name.endsWith("_count") && name.length() > 6;
      isSum = name.endsWith("_sum") && name.length() > 4;
      return;
    }
    base = strip(name, true);
    f = families.get(base);
    if (f != null && "histogram".equals(f.type)) {
      current = f;
      isCount = name.endsWith("_count") && name.length() > 6;
      isSum = name.endsWith("_sum") && name.length() > 4;
      return;
    }
    current = new Family(name);
    families.put(name, current);
  }

  private static String strip(String name, boolean bucket) {
    if (name.length() > 6 && name.endsWith("_count")) {
      return name.substring(0, name.length() - 6);
    }
    if (name.length() > 4 && name.endsWith("_sum")) {
      return name.substring(0, name.length() - 4);
    }
    if (bucket && name.length() > 7 && name.endsWith("_bucket")) {
      return name.substring(0, name.length() - 7);
    }
    return name;
  }

  private void sample() throws ParseException {
    String name = name(true);
    if (name.isEmpty()) {
      throw error("invalid metric name");
    }
    family(name);
    if (current.type == null) {
      current.type = "untyped";
    }
    boolean distribution = current.type.equals("summary") || current.type.equals("histogram");
    String special = current.type.equals("summary") ? "quantile" : current.type.equals("histogram") ? "le" : null;
    List<String> labels = new ArrayList<>(8);
    double key = Double.NaN;
    if (blank(peek())) {
      skipBlanksNotEnd();
    }
    if (peek() == '{') {
      pos++;
      while (true) {
        int c = skipBlanksNotEnd();
        if (c == '}') {
          pos++;
          skipBlanksNotEnd();
          break;
        }
        String label = name(false);
        if (label.isEmpty()) {
          throw error("invalid label name for metric " + quote(current.name));
        }
        if (label.equals("__name__")) {
          throw error("label name \"__name__\" is reserved");
        }
        boolean isSpecial = label.equals(special);
        if (blank(peek())) {
          skipBlanksNotEnd();
        }
        if (peek() != '=') {
          throw error("expected '=' after label name, found " + quoteChar(peek()));
        }
        if (!isSpecial && hasName(labels, label)) {
          throw error("duplicate label names for metric " + quote(current.name));
        }
        pos++;
        if (skipBlanksNotEnd() != '"') {
          throw error("expected '\"' at start of label value, found " + quoteChar(peek()));
        }
        pos++;
        String value = labelValue();
        if (isSpecial) {
          try {
            key = parseFloat(value);
          } catch (NumberFormatException e) {
            throw error("expected float as value for '" + label + "' label, got " + quote(value));
          }
        } else {
          labels.add(label);
          labels.add(value);
        }
        c = skipBlanksNotEnd();
        if (c == ',') {
          pos++;
        } else if (c == '}') {
          pos++;
          skipBlanksNotEnd();
          break;
        } else {
          throw error("unexpected end of label value " + quote(value));
        }
      }
    }
    Metric metric;
    if (distribution) {
      Map<Map<String, String>, Metric> byLabels = grouped.computeIfAbsent(current, k -> new HashMap<>());
      Map<String, String> signature = new java.util.TreeMap<>();
      for (int i = 0; i < labels.size(); i += 2) {
        signature.put(labels.get(i), labels.get(i + 1));
      }
      metric = byLabels.get(signature);
      if (metric == null) {
        metric = new Metric();
        metric.labels = labels.toArray(String[]::new);
        metric.points = new ArrayList<>();
        byLabels.put(signature, metric);
        current.metrics.add(metric);
      }
    } else {
      metric = new Metric();
      metric.labels = labels.toArray(String[]::new);
      current.metrics.add(metric);
    }
    String token = tokenUntilWhitespace();
    double value;
    try {
      value = parseFloat(token);
    } catch (NumberFormatException e) {
      throw error("expected float as value, got " + quote(token));
    }
    if (!distribution) {
      metric.value = value;
    } else if (isCount) {
      metric.count = value;
    } else if (isSum) {
      metric.sum = value;
    } else if (!Double.isNaN(key)) {
      metric.points.add(new double[] {key, value});
    }
    if (peek() == '\n') {
      pos++;
      return;
    }
    skipBlanksNotEnd();
    String ts = tokenUntilWhitespace();
    try {
      metric.timestampMs = Long.parseLong(ts);
    } catch (NumberFormatException e) {
      throw error("expected integer as timestamp, got " + quote(ts));
    }
    String rest = restOfLine(false);
    if (!rest.isEmpty()) {
      throw error("spurious string after timestamp: " + quote(rest));
    }
  }

  private static boolean hasName(List<String> pairs, String name) {
    for (int i = 0; i < pairs.size(); i += 2) {
      if (pairs.get(i).equals(name)) {
        return true;
      }
    }
    return false;
  }

  private String labelValue() throws ParseException {
    StringBuilder sb = new StringBuilder();
    boolean escaped = false;
    while (pos < in.length()) {
      char c = in.charAt(pos++);
      if (escaped) {
        switch (c) {
          case '"', '\\' -> sb.append(c);
          case 'n' -> sb.append('\n');
          default -> throw error("invalid escape sequence '\\" + c + "'");
        }
        escaped = false;
      } else if (c == '"') {
        if (sb.indexOf("\uFFFD") >= 0) {
          throw error("invalid label value " + quote(sb.toString()));
        }
        return sb.toString();
      } else if (c == '\n') {
        throw error("label value " + quote(sb.toString()) + " contains unescaped new-line");
      } else if (c == '\\') {
        escaped = true;
      } else {
        sb.append(c);
      }
    }
    throw endOfInput();
  }

  /** Go's strconv.ParseFloat as the text format uses it: decimal, Inf and NaN, no hex, no underscores. */
  static double parseFloat(String s) {
    if (SPECIAL.matcher(s).matches()) {
      String lower = s.toLowerCase(Locale.ROOT);
      if (lower.equals("nan")) {
        return Double.NaN;
      }
      return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (!DECIMAL.matcher(s).matches()) {
      throw new NumberFormatException(s);
    }
    double d = Double.parseDouble(s);
    if (Double.isInfinite(d)) {
      throw new NumberFormatException("out of range: " + s);
    }
    return d;
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        default -> sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  private static String quoteChar(int c) {
    return switch (c) {
      case '\n' -> "'\\n'";
      case '\t' -> "'\\t'";
      case '\'' -> "'\\''";
      default -> "'" + (char) c + "'";
    };
  }
}
