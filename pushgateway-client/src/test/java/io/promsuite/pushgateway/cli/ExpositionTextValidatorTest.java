package io.promsuite.pushgateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ExpositionTextValidatorTest {

  private static ExpositionTextValidator.Summary valid(String text) throws ExpositionTextException {
    return ExpositionTextValidator.validate(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void acceptsWhatClientJavaWritesForEveryType() throws Exception {
    PrometheusRegistry r = new PrometheusRegistry();
    Counter.builder().name("jobs").help("Jobs \\ done\nfor real").labelNames("path").register(r)
        .labelValues("C:\\tmp \"q\"\nx").inc(3);
    Gauge.builder().name("temp").register(r).set(Double.NEGATIVE_INFINITY);
    Histogram.builder().name("latency_seconds").classicUpperBounds(0.1, 1).register(r).observe(0.5);
    Summary.builder().name("size_bytes").quantile(0.5, 0.01).register(r).observe(10);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, r.scrape());
    ExpositionTextValidator.Summary s = ExpositionTextValidator.validate(out.toByteArray());
    assertEquals(4, s.families());
    assertEquals(1 + 1 + (3 + 2) + (1 + 2), s.samples());
  }

  @Test
  void acceptsTheArchitectureDocumentsExampleAndLooseSpacing() throws Exception {
    assertEquals(new ExpositionTextValidator.Summary(3, 3), valid("""
        # TYPE training_duration_seconds gauge
        training_duration_seconds 3600
        # TYPE training_loss gauge
        training_loss 0.05
        # a plain comment
        training_accuracy{ model = "bert" , } \t 0.95"""));
    assertEquals(new ExpositionTextValidator.Summary(1, 3), valid("x{a=\"1\"} NaN\nx{a=\"2\"} +Inf\nx{a=\"3\"} -1.5e-3\n"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      bad metric name       | ok 1\\n3xx 1                               | line 2: bad metric name '3xx'
      bad label name        | x{1a="v"} 1                                | line 1: bad label name '1a' in 'x'
      reserved label name   | x{__x="v"} 1                               | line 1: bad label name '__x' in 'x': names starting with __ are reserved
      unquoted label value  | x{a=v} 1                                   | line 1: value of label 'a' in 'x' must be in double quotes
      unclosed label value  | x{a="v} 1                                  | line 1: value of label 'a' in 'x' has no closing quote
      bad escape            | x{a="\\t"} 1                               | line 1: invalid escape '\\t' in label 'a' of 'x'
      unclosed braces       | x{a="v" 1                                  | line 1: expected ',' or '}' after label 'a' of 'x', found '1'
      repeated label        | x{a="1",a="2"} 1                           | line 1: label 'a' appears twice in 'x'
      wrong value           | # TYPE x gauge\\nx 1\\nx{a="b"} one        | line 3: value 'one' of 'x' is not a number
      java-only value       | x 1d                                       | line 1: value '1d' of 'x' is not a number
      no value              | x{a="b"}                                   | line 1: sample 'x' has no value
      timestamp             | x 1 1700000000000                          | line 1: sample 'x' has a timestamp (1700000000000): the Pushgateway refuses pushed timestamps
      trailing junk         | x 1 2 3                                    | line 1: unexpected '3' after the value of 'x'
      duplicate series      | x{b="2",a="1"} 1\\ny 2\\nx{a="1",b="2"} 3  | line 3: duplicate series x{a="1",b="2"}, first at line 1
      duplicate plain       | x 1\\nx 2                                  | line 2: duplicate series x, first at line 1
      bad type              | # TYPE x countr                            | line 1: bad type 'countr' for metric 'x'
      second type           | # TYPE x gauge\\n# TYPE x gauge            | line 2: second # TYPE for metric 'x'
      type after samples    | x 1\\n# TYPE x gauge                       | line 2: # TYPE for metric 'x' comes after its samples (line 1)
      second help           | # HELP x a\\n# HELP x b                    | line 2: second # HELP for metric 'x'
      negative counter      | # TYPE x counter\\nx -1                    | line 2: counter 'x' has a negative value -1.0
      bucket without le     | # TYPE h histogram\\nh_bucket 1            | line 2: 'h_bucket' needs a 'le' label
      histogram bare sample | # TYPE h histogram\\nh 1                   | line 2: 'h' is a histogram: its samples are h_bucket, _sum and _count
      summary bad quantile  | # TYPE s summary\\ns{quantile="p50"} 1     | line 2: label quantile="p50" of 's' is not a number
      """)
  void rejectsMalformedTextNamingTheLine(String what, String text, String message) {
    ExpositionTextException e = assertThrows(ExpositionTextException.class, () -> valid(text.replace("\\n", "\n")));
    assertEquals(true, e.getMessage().startsWith(message), what + ": " + e.getMessage());
  }

  @Test
  void rejectsInvalidUtf8WithTheLine() {
    byte[] text = {'x', ' ', '1', '\n', 'y', '{', 'a', '=', '"', (byte) 0xC3, '"', '}', ' ', '1', '\n'};
    ExpositionTextException e = assertThrows(ExpositionTextException.class, () -> ExpositionTextValidator.validate(text));
    assertEquals(2, e.line());
  }
}
