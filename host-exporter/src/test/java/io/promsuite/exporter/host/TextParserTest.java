package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** node_exporter's text format rules, each one a line the parser must refuse or read as it does. */
class TextParserTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "'no_newline 1'|1|unexpected end of input stream",
      "'x 1 \n'|1|expected integer as timestamp, got \"\"",
      "'x 1 2 \n'|1|spurious string after timestamp: \" \"",
      "'# TYPE x gauge\nx 1\n# TYPE x counter\n'|3|second TYPE line for metric name \"x\", or TYPE reported after samples",
      "'# HELP x a\n# HELP x b\n'|2|second HELP line for metric name \"x\"",
      "'# TYPE x gauges\n'|1|unknown metric type \"gauges\"",
      "'x{a=\"\\q\"} 1\n'|1|invalid escape sequence '\\q'",
      "'x{a=\"1\",a=\"2\"} 1\n'|1|duplicate label names for metric \"x\"",
      "'x{__name__=\"y\"} 1\n'|1|label name \"__name__\" is reserved",
      "'x 0x10\n'|1|expected float as value, got \"0x10\"",
      "'x 1_000\n'|1|expected float as value, got \"1_000\"",
      "'x 1e999\n'|1|expected float as value, got \"1e999\"",
      "'\n\nx{a=1} 1\n'|3|expected '\"' at start of label value, found '1'",
      "'# TYPE h histogram\nh_bucket{le=\"x\"} 1\n'|2|expected float as value for 'le' label, got \"x\"",
      "'1x 1\n'|1|invalid metric name",
  })
  void refusesWhatNodeExporterRefuses(String text, int line, String message) {
    TextParser.ParseException e = assertThrows(TextParser.ParseException.class, () -> TextParser.parse(text));
    assertEquals("text format parsing error in line " + line + ": " + message, e.getMessage());
  }

  @Test
  void readsWhatNodeExporterReads() throws Exception {
    List<TextParser.Family> families = TextParser.parse("""
        # HELP h Latency\\nin seconds \\\\ total.
        # TYPE h histogram
        h_bucket{path="/a",le="0.5"} 2
        h_bucket{path="/a",le="+Inf"} 3
        h_sum{path="/a"} 1.5
        h_count{path="/a"} 3
        \t  spaced { a = "1" , b="x\\"y",} -Inf
        plain NaN
        with_ts 1 -17
        """);
    assertEquals(List.of("h", "spaced", "plain", "with_ts"), families.stream().map(f -> f.name).toList());
    TextParser.Family h = families.get(0);
    assertEquals("Latency\nin seconds \\ total.", h.help);
    assertEquals(1, h.metrics.size());
    TextParser.Metric m = h.metrics.get(0);
    assertEquals(Map.of("path", "/a"), m.labelMap());
    assertEquals(3, m.count);
    assertEquals(1.5, m.sum);
    assertEquals(2, m.points.size());
    assertEquals(Double.POSITIVE_INFINITY, m.points.get(1)[0]);
    assertEquals(Map.of("a", "1", "b", "x\"y"), families.get(1).metrics.get(0).labelMap());
    assertEquals("untyped", families.get(1).type);
    assertEquals(Double.NEGATIVE_INFINITY, families.get(1).metrics.get(0).value);
    assertEquals(-17L, families.get(3).metrics.get(0).timestampMs);
  }
}
