package io.promsuite.e2e.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PromDurationTest {
  @Test
  void parsesAndPrintsPrometheusDurations() {
    assertEquals(5_400_000, PromDuration.parseMillis("1h30m"));
    assertEquals(30L * 86_400_000, PromDuration.parseMillis("30d"));
    assertEquals(1500, PromDuration.parseMillis("1s500ms"));
    assertEquals("1h30m", PromDuration.format(5_400_000));
    assertEquals("2s500ms", PromDuration.format(2500));
    assertEquals("6h", PromDuration.format(21_600_000));
    assertEquals("0s", PromDuration.format(0));
  }

  @Test
  void scalesWithAFloor() {
    assertEquals("30s", PromDuration.scale("1h", 120, 4000));
    assertEquals("4s", PromDuration.scale("5m", 120, 4000));
    assertEquals("6h", PromDuration.scale("30d", 120, 4000));
    assertEquals("7s500ms", PromDuration.scale("15m", 120, 0));
  }

  @Test
  void rejectsWhatIsNotADuration() {
    assertEquals("'5 minutes' is not a Prometheus duration (like 30s, 5m, 1h30m)",
        assertThrows(IllegalArgumentException.class, () -> PromDuration.parseMillis("5 minutes")).getMessage());
  }
}
