package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Golden;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** adjtimex figures in node_exporter's units; the live values are compared in NodeExporterCompatibilityTest. */
class TimexCollectorTest {

  private static Exposition render(Adjtimex.Timex t) throws Exception {
    return Exposition.parse(Golden.render(new TimexCollector(() -> t)));
  }

  @Test
  void microsecondStatusScalesOffsetsByAMillionAndFrequenciesBy2To16Ppm() throws Exception {
    Exposition e = render(new Adjtimex.Timex(0, -1500, 65536L * 12, 16000, 250, 0x1, 7, 10000, 65536L * 3, 42, 4,
        65536L / 2, 1, 2, 3, 4, 37));
    assertEquals(1, e.value("node_timex_sync_status", Map.of()));
    assertEquals(-0.0015, e.value("node_timex_offset_seconds", Map.of()), 1e-12);
    assertEquals(1.000012, e.value("node_timex_frequency_adjustment_ratio", Map.of()), 1e-12);
    assertEquals(0.016, e.value("node_timex_maxerror_seconds", Map.of()), 1e-12);
    assertEquals(0.01, e.value("node_timex_tick_seconds", Map.of()), 1e-12);
    assertEquals(3e-6, e.value("node_timex_pps_frequency_hertz", Map.of()), 1e-15);
    assertEquals(42e-6, e.value("node_timex_pps_jitter_seconds", Map.of()), 1e-15);
    assertEquals(37, e.value("node_timex_tai_offset_seconds", Map.of()));
    assertEquals(4, e.value("node_timex_pps_stability_exceeded_total", Map.of()));
  }

  @Test
  void nanosecondStatusAndTimeErrorState() throws Exception {
    Exposition e = render(new Adjtimex.Timex(5, -1500, 0, 0, 0, 0x2000 | 0x40, 0, 0, 0, 42, 0, 0, 0, 0, 0, 0, 0));
    assertEquals(0, e.value("node_timex_sync_status", Map.of()));
    assertEquals(-1.5e-6, e.value("node_timex_offset_seconds", Map.of()), 1e-15);
    assertEquals(42e-9, e.value("node_timex_pps_jitter_seconds", Map.of()), 1e-18);
    assertEquals(0x2040, e.value("node_timex_status", Map.of()));
  }

  @Test
  void theRealSyscallAnswers() throws Exception {
    Adjtimex.Timex t = Adjtimex.read();
    // Linux's tick is 1e6 / HZ microseconds: 10000 at HZ=100, 4000 at 250, 1000 at 1000.
    assertEquals(0, 1_000_000 % t.tick(), "tick " + t.tick());
  }
}
