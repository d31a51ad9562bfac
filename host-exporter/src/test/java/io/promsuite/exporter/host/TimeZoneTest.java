package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Http;
import io.promsuite.exporter.common.testing.LauncherCommand;
import io.promsuite.exporter.common.testing.Ports;
import io.promsuite.exporter.common.testing.RealParts;
import io.promsuite.exporter.common.testing.RealProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * node_time_zone_offset_seconds{time_zone} for hosts outside UTC: both exporters started with the
 * same TZ (zones with daylight saving now in force or not, half- and quarter-hour offsets,
 * numeric abbreviations, an absolute TZif path) serve the same label and offset. The JDK alone
 * names these zones "GMT+01:00", "GMT-03:00"...; Go reads the abbreviation from the zone file.
 */
class TimeZoneTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "TZ={0}")
  @ValueSource(strings = {"Europe/Berlin", "America/New_York", "Australia/Sydney", "America/Sao_Paulo", "Asia/Kolkata",
      "Australia/Lord_Howe", "Asia/Kathmandu", "Etc/GMT+5", "UTC", "/usr/share/zoneinfo/Asia/Tokyo"})
  void theZoneLabelAndOffsetAreNodeExporters(String tz) throws Exception {
    Path bin = RealParts.require("/usr/bin/prometheus-node-exporter");
    int theirPort = Ports.free();
    int ourPort = Ports.free();
    Map<String, String> env = Map.of("TZ", tz);
    try (RealProcess theirs = RealProcess.start(List.of(bin.toString(), "--web.listen-address=127.0.0.1:" + theirPort,
            "--collector.disable-defaults", "--collector.time"), dir.resolve("node_exporter.log"), env);
        RealProcess ours = RealProcess.start(LauncherCommand.of(Path.of("."), HostExporter.class.getName(),
            "--web.listen-address=127.0.0.1:" + ourPort, "--collector.disable-defaults", "--collector.time"),
            dir.resolve("ours.log"), env)) {
      String theirUrl = "http://127.0.0.1:" + theirPort + "/metrics";
      String ourUrl = "http://127.0.0.1:" + ourPort + "/metrics";
      theirs.awaitHttp(theirUrl, Duration.ofSeconds(20));
      ours.awaitHttp(ourUrl, Duration.ofSeconds(30));
      List<Exposition.Sample> expected = Exposition.parse(Http.get(theirUrl).body()).samples("node_time_zone_offset_seconds");
      List<Exposition.Sample> actual = Exposition.parse(Http.get(ourUrl).body()).samples("node_time_zone_offset_seconds");
      assertFalse(expected.isEmpty());
      assertEquals(expected, actual, "TZ=" + tz);
    }
  }

  @Test
  void posixFooterNames() {
    assertArrayEquals(new String[] {"CET", "CEST"}, ZoneAbbreviation.footerNames("CET-1CEST,M3.5.0,M10.5.0/3"));
    assertArrayEquals(new String[] {"-03", null}, ZoneAbbreviation.footerNames("<-03>3"));
    assertArrayEquals(new String[] {"IST", null}, ZoneAbbreviation.footerNames("IST-5:30"));
    assertArrayEquals(new String[] {"<+1030>".substring(1, 6), "+11"}, ZoneAbbreviation.footerNames("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0"));
    assertArrayEquals(new String[] {null, null}, ZoneAbbreviation.footerNames(""));
  }
}
