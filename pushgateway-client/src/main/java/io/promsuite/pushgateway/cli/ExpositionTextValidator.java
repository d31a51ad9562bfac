package io.promsuite.pushgateway.cli;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict check of Prometheus text format 0.0.4 before it is pushed, so a mistake is reported with
 * its line instead of as a gateway's 400 (or not at all). client_java writes this format but does
 * not parse it, hence this class.
 *
 * <p>Checks: UTF-8; {@code # HELP}/{@code # TYPE} syntax, one of each per family, TYPE before the
 * family's samples; metric and label names; label value quoting and escapes; repeated label names;
 * values as Go parses floats (plus {@code Inf}/{@code NaN}); no timestamps (the Pushgateway refuses
 * them); histogram and summary sample names and their {@code le}/{@code quantile} labels; counters
 * not negative; no series twice; each histogram and summary series complete ({@link CompleteSeries}).
 */
public final class ExpositionTextValidator {

  /** What a valid text held. */
  public record Summary(int families, int samples) {}

  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern FLOAT = Pattern.compile(
      "[+-]?(?:(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN])");
  private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

  private static final class Family {
    String type;
    boolean help;
    int firstSampleLine;
  }

  private final Map<String, Family> families = new HashMap<>();
  private final Map<String, Integer> series = new HashMap<>();
  private final CompleteSeries complete = new CompleteSeries();
  private int samples;

  private ExpositionTextValidator() {}

  /**
   * Validates a whole text.
   *
   * @throws ExpositionTextException naming the first offending line
   */
  public static Summary validate(byte[] text) throws ExpositionTextException {
    String s = decode(text);
    ExpositionTextValidator v = new ExpositionTextValidator();
    int lineNo = 0;
    int start = 0;
    while (start < s.length()) {
      int end = s.indexOf('\n', start);
      if (end < 0) {
        end = s.length();
      }
      lineNo++;
      v.line(new Cursor(s.substring(start, end), lineNo));
      start = end + 1;
    }
    v.complete.finish();
    return new Summary(v.families.size(), v.samples);
  }

  private static String decode(byte[] text) throws ExpositionTextException {
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(text);
    CharBuffer out = CharBuffer.allocate(text.length);
    CoderResult r = dec.decode(in, out, true);
    if (r.isError()) {
      int line = 1;
      for (int i = 0; i < in.position(); i++) {
        if (text[i] == '\n') {
          line++;
        }
      }
      throw new ExpositionTextException(line, "not valid UTF-8 at byte " + in.position());
    }
    dec.flush(out);
    return out.flip().toString();
  }

  private void line(Cursor c) throws ExpositionTextException {
    c.skipBlanks();
    if (c.atEnd()) {
      return;
    }
    if (c.peek() == '#') {
      c.next();
      c.skipBlanks();
      String keyword = c.token();
      if ((keyword.equals("HELP") || keyword.equals("TYPE")) && (c.atEnd() || c.isBlank())) {
        c.skipBlanks();
        String name = c.token();
        if (!METRIC_NAME.matcher(name).matches()) {
          throw c.error("bad metric name '" + name + "' in # " + keyword + ": must match [a-zA-Z_:][a-zA-Z0-9_:]*");
        }
        Family f = families.computeIfAbsent(name, k -> new Family());
        if (keyword.equals("HELP")) {
          helpLine(c, name, f);
        } else {
          typeLine(c, name, f);
        }
      }
      return; // any other comment
    }
    sample(c);
  }

  private static void helpLine(Cursor c, String name, Family f) throws ExpositionTextException {
    if (f.help) {
      throw c.error("second # HELP for metric '" + name + "'");
    }
    f.help = true;
    String text = c.rest();
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\\') {
        char e = i + 1 < text.length() ? text.charAt(i + 1) : ' ';
        if (e != '\\' && e != 'n') {
          throw c.error("invalid escape '\\" + e + "' in # HELP for '" + name + "': only \\\\ and \\n are allowed");
        }
        i++;
      }
    }
  }

  private static void typeLine(Cursor c, String name, Family f) throws ExpositionTextException {
    c.skipBlanks();
    String type = c.token();
    c.skipBlanks();
    if (!c.atEnd() || !TYPES.contains(type)) {
      throw c.error("bad type '" + type + c.rest() + "' for metric '" + name
          + "': must be one of counter, gauge, histogram, summary, untyped");
    }
    if (f.type != null) {
      throw c.error("second # TYPE for metric '" + name + "'");
    }
    if (f.firstSampleLine > 0) {
      throw c.error("# TYPE for metric '" + name + "' comes after its samples (line " + f.firstSampleLine + ")");
    }
    f.type = type;
  }

  private void sample(Cursor c) throws ExpositionTextException {
    String name = c.nameToken();
    if (!METRIC_NAME.matcher(name).matches()) {
      throw c.error("bad metric name '" + (name.isEmpty() ? c.rest() : name)
          + "': must match [a-zA-Z_:][a-zA-Z0-9_:]*");
    }
    TreeMap<String, String> labels = new LabelParser(c, name).parse();
    c.skipBlanks();
    String valueText = c.token();
    if (valueText.isEmpty()) {
      throw c.error("sample '" + name + "' has no value");
    }
    if (!FLOAT.matcher(valueText).matches()) {
      throw c.error("value '" + valueText + "' of '" + name + "' is not a number (e.g. 1, -2.5e3, +Inf, NaN)");
    }
    double value = CompleteSeries.parseFloat(valueText);
    c.skipBlanks();
    if (!c.atEnd()) {
      String ts = c.token();
      c.skipBlanks();
      if (!c.atEnd()) {
        throw c.error("unexpected '" + c.rest() + "' after the value of '" + name + "'");
      }
      throw c.error("sample '" + name + "' has a timestamp (" + ts + "): the Pushgateway refuses pushed timestamps");
    }
    StringBuilder key = new StringBuilder(name);
    labels.forEach((k, v) -> key.append('\0').append(k).append('\0').append(v));
    Integer first = series.putIfAbsent(key.toString(), c.line);
    if (first != null) {
      throw c.error("duplicate series " + name + LabelParser.format(labels) + ", first at line " + first);
    }
    checkFamily(c, name, labels, value);
    samples++;
  }

  private void checkFamily(Cursor c, String name, TreeMap<String, String> labels, double value)
      throws ExpositionTextException {
    String base = name;
    String suffix = "";
    Family f = families.get(name);
    if (f == null || f.type == null) {
      for (String s : new String[] {"_bucket", "_sum", "_count"}) {
        if (name.endsWith(s)) {
          Family b = families.get(name.substring(0, name.length() - s.length()));
          if (b != null && ("histogram".equals(b.type) || "summary".equals(b.type))) {
            base = name.substring(0, name.length() - s.length());
            suffix = s;
            f = b;
          }
        }
      }
    }
    if (f == null) {
      f = families.computeIfAbsent(name, k -> new Family());
    }
    if (f.firstSampleLine == 0) {
      f.firstSampleLine = c.line;
    }
    String type = f.type == null ? "untyped" : f.type;
    switch (type) {
      case "counter" -> {
        if (value < 0) {
          throw c.error("counter '" + name + "' has a negative value " + value);
        }
      }
      case "histogram" -> {
        if (suffix.isEmpty()) {
          throw c.error("'" + name + "' is a histogram: its samples are " + base + "_bucket, _sum and _count");
        }
        if (suffix.equals("_bucket")) {
          boundLabel(c, name, labels, "le");
        }
        complete.sample(c, base, true, suffix, labels, value);
      }
      case "summary" -> {
        if (suffix.equals("_bucket")) {
          throw c.error("'" + base + "' is a summary: it has no _bucket samples");
        }
        if (suffix.isEmpty()) {
          boundLabel(c, name, labels, "quantile");
        }
        complete.sample(c, base, false, suffix, labels, value);
      }
      default -> { }
    }
  }

  private static void boundLabel(Cursor c, String name, Map<String, String> labels, String label)
      throws ExpositionTextException {
    String v = labels.get(label);
    if (v == null) {
      throw c.error("'" + name + "' needs a '" + label + "' label");
    }
    if (!FLOAT.matcher(v).matches()) {
      throw c.error("label " + label + "=\"" + v + "\" of '" + name + "' is not a number");
    }
  }
}
