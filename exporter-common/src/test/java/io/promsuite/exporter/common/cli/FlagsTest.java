package io.promsuite.exporter.common.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlagsTest {
  private static Flags flags() {
    return new Flags().string("web.listen-address", ":9100", "addr").bool("collector.cpu", true, "cpu")
        .string("timeout", "5s", "t").repeatable("label", "labels");
  }

  @Test
  void parsesKingpinStyle() throws Exception {
    Flags f = flags().parse("--web.listen-address=:1234", "--no-collector.cpu", "--timeout", "1m30s",
        "--label", "a=b", "--label=c=d");
    assertEquals(":1234", f.get("web.listen-address"));
    assertEquals(false, f.bool("collector.cpu"));
    assertEquals(Duration.ofSeconds(90), f.duration("timeout"));
    assertEquals(List.of("a=b", "c=d"), f.list("label"));
  }

  @Test
  void badFlagsSayWhatIsWrong() {
    assertTrue(assertThrows(FlagException.class, () -> flags().parse("--web.listen-adress=:1"))
        .getMessage().contains("unknown flag --web.listen-adress"));
    assertTrue(assertThrows(FlagException.class, () -> flags().parse("--timeout"))
        .getMessage().contains("--timeout needs a value"));
    assertTrue(assertThrows(FlagException.class, () -> flags().parse("--collector.cpu=maybe"))
        .getMessage().contains("expects true or false"));
    assertTrue(assertThrows(FlagException.class, () -> flags().parse("--timeout=soon").duration("timeout"))
        .getMessage().contains("'soon' is not a duration"));
  }

  @Test
  void mainExitsWith2OnABadFlagAnd0OnVersion() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> base = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
        "io.promsuite.exporter.common.DemoExporter"));
    List<String> bad = new ArrayList<>(base);
    bad.add("--web.listen-adress=:1");
    Process p = new ProcessBuilder(bad).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(2, p.waitFor(), out);
    assertTrue(out.contains("demo-exporter: error: unknown flag --web.listen-adress"), out);
    List<String> version = new ArrayList<>(base);
    version.add("--version");
    p = new ProcessBuilder(version).redirectErrorStream(true).start();
    out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
    assertTrue(out.startsWith("demo-exporter, version "), out);
    List<String> badAddress = new ArrayList<>(base);
    badAddress.add("--web.listen-address=nonsense");
    p = new ProcessBuilder(badAddress).redirectErrorStream(true).start();
    out = new String(p.getInputStream().readAllBytes());
    assertEquals(2, p.waitFor(), out);
    assertTrue(out.contains("--web.listen-address"), out);
  }
}
