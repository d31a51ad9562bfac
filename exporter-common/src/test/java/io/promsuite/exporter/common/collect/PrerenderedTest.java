package io.promsuite.exporter.common.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import org.junit.jupiter.api.Test;

/** The pre-rendered text is the families' text, however it is cut into pieces on the way to gzip. */
class PrerenderedTest {

  @Test
  void aFamilyLargerThanOnePieceRendersAsTheWholeFamilyText() throws Exception {
    Prerendered p = Prerendered.render(sink -> {
      MetricSink.Family big = sink.counter("x_bytes_total", "Bytes.", "id", "device");
      for (int i = 0; i < 5000; i++) {
        big.add(i * 1.5, "/docker/" + "ab".repeat(32) + i, "/dev/vd\"a\\" + i % 3);
      }
      sink.gauge("a_gauge", "First by name.").add(1);
      sink.counter("x_failcnt", "A counter named as cAdvisor names it, without _total.", "id").add(3, "c");
    });
    SnapshotSink whole = new SnapshotSink();
    p.replay(whole);
    StringBuilder expected = new StringBuilder();
    whole.families().stream().sorted(Comparator.comparing(SnapshotSink.Family::sortKey))
        .forEach(f -> f.writeText(expected));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.writeText(out);
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.length() > 5 * 32 * 1024, "several pieces: " + text.length());
    assertEquals(expected.toString(), text);
    assertEquals(text.length(), p.textLength());
    assertEquals(5000 + 1 + 1 + 6, text.lines().count(), "every sample once, HELP and TYPE per family");
    assertTrue(text.contains("# TYPE x_failcnt counter\nx_failcnt{id=\"c\"} 3"), "a counter without _total keeps its name");
  }
}
