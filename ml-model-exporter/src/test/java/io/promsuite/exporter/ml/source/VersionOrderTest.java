package io.promsuite.exporter.ml.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionOrderTest {
  private static List<String> sorted(String... versions) {
    List<String> l = new ArrayList<>(List.of(versions));
    l.sort(VersionOrder.INSTANCE);
    return l;
  }

  @Test
  void numbersSortNumerically() {
    assertEquals(List.of("1", "2", "9", "10", "100"), sorted("10", "9", "100", "1", "2"));
  }

  @Test
  void semanticVersionsSortByPrecedenceWithPreReleasesBeforeReleases() {
    assertEquals(List.of("1.2.0", "1.9.0", "v1.10.0-rc.1", "1.10.0", "2.0"),
        sorted("1.10.0", "2.0", "1.2.0", "v1.10.0-rc.1", "1.9.0"));
  }

  @Test
  void timestampsSortChronologically() {
    assertEquals(List.of("2023-12-31", "2024-01-05T09:00:00Z", "2024-01-05T10:30:00Z", "2024-11-01"),
        sorted("2024-11-01", "2024-01-05T10:30:00Z", "2023-12-31", "2024-01-05T09:00:00Z"));
    assertEquals(List.of("20240105-0900", "20240105-1030", "20241101-0000"),
        sorted("20241101-0000", "20240105-1030", "20240105-0900"));
  }

  @Test
  void otherNamesSortNaturally() {
    assertEquals(List.of("run-2", "run-10", "run-10b"), sorted("run-10b", "run-10", "run-2"));
  }
}
