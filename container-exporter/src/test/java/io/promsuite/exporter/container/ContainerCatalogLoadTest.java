package io.promsuite.exporter.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promsuite.exporter.container.source.ContainerInfo;
import io.promsuite.exporter.container.source.Usage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** cAdvisor's load average: the first running-task count, then each new one weighted by 1 - e^(-interval/10s). */
class ContainerCatalogLoadTest {

  private static Usage running(long n) {
    Usage.Builder b = Usage.builder();
    b.taskStates = Map.of("running", n, "sleeping", 0L);
    return b.build();
  }

  @Test
  void loadAverageStartsAtTheFirstCountAndDecaysOverTenSeconds() {
    ContainerInfo c = new ContainerInfo("a", "a", "img", Map.of(), "/docker/a", 1, 0, 0, 0, 0, 0, 0, 0, "");
    ArrayDeque<Usage> readings = new ArrayDeque<>(List.of(running(2), running(0), running(0)));
    // A 10 s housekeeping interval: each new count weighs 1 - 1/e.
    try (ContainerCatalog catalog = new ContainerCatalog(() -> List.of(c), x -> readings.poll(), null, null,
        new ContainerCatalog.Settings(Duration.ofSeconds(10), Duration.ofMinutes(10), 1, Duration.ZERO, "unix:///nonexistent.sock"),
        Clock.systemUTC())) {
      catalog.refreshList();
      catalog.refreshUsage();
      assertEquals(2.0, catalog.snapshot().containers().getFirst().loadAverage(), 1e-12);
      catalog.refreshUsage();
      assertEquals(2 * Math.exp(-1), catalog.snapshot().containers().getFirst().loadAverage(), 1e-12);
      catalog.refreshUsage();
      assertEquals(2 * Math.exp(-2), catalog.snapshot().containers().getFirst().loadAverage(), 1e-12);
    }
  }

  @Test
  void withoutTaskCountsThereIsNoLoadAverage() {
    ContainerInfo c = new ContainerInfo("a", "a", "img", Map.of(), "/docker/a", 1, 0, 0, 0, 0, 0, 0, 0, "");
    try (ContainerCatalog catalog = new ContainerCatalog(() -> List.of(c), x -> Usage.builder().build(), null, null,
        new ContainerCatalog.Settings(Duration.ofSeconds(1), Duration.ofMinutes(10), 1, Duration.ZERO, "unix:///nonexistent.sock"),
        Clock.systemUTC())) {
      catalog.refreshList();
      catalog.refreshUsage();
      assertEquals(-1, catalog.snapshot().containers().getFirst().loadAverage(), "the docker source counts no tasks");
    }
  }
}
