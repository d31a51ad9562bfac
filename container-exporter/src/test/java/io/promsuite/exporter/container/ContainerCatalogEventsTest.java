package io.promsuite.exporter.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.ManualScheduler;
import io.promsuite.exporter.container.source.ContainerInfo;
import io.promsuite.exporter.container.source.Usage;
import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** How Docker events drive the catalog's refreshes, on a hand-driven clock: relists, coalescing, reopening with backoff. */
class ContainerCatalogEventsTest {
  private final ManualScheduler clock = new ManualScheduler();
  private final AtomicInteger lists = new AtomicInteger();
  private final AtomicInteger usageReads = new AtomicInteger();
  private volatile List<ContainerInfo> running = List.of();

  /** The daemon's event streams as the test plays them. */
  private static final class Streams implements ContainerCatalog.Events {
    final List<Runnable> onChange = new ArrayList<>();
    final List<Consumer<Throwable>> onEnd = new ArrayList<>();
    final AtomicInteger closed = new AtomicInteger();

    @Override
    public Closeable follow(Runnable change, Consumer<Throwable> end) {
      onChange.add(change);
      onEnd.add(end);
      return closed::incrementAndGet;
    }

    int opened() {
      return onChange.size();
    }

    void event() {
      onChange.getLast().run();
    }

    void end() {
      onEnd.getLast().accept(new IOException("daemon stopped"));
    }
  }

  private static ContainerInfo container(String id) {
    return new ContainerInfo(id, id, "img", Map.of(), "/docker/" + id, 1, 0, 0, 0, 0, 0, 0, 0, "");
  }

  private ContainerCatalog catalog(Streams events) {
    ContainerCatalog.Lister lister = () -> {
      lists.incrementAndGet();
      return running;
    };
    ContainerCatalog.UsageReader usage = c -> {
      usageReads.incrementAndGet();
      return Usage.builder().build();
    };
    // Resync and housekeeping far apart from the steps below: only events move the list.
    var settings = new ContainerCatalog.Settings(Duration.ofMinutes(10), Duration.ofMinutes(10), 1, Duration.ZERO,
        "unix:///nonexistent.sock");
    return new ContainerCatalog(lister, usage, null, events, settings, Clock.systemUTC(), clock);
  }

  @Test
  void eventsAskForOneRelistEachBurstAndANewContainerIsReadAtOnce() {
    Streams events = new Streams();
    try (ContainerCatalog catalog = catalog(events).start()) {
      clock.runDue();
      assertEquals(1, events.opened());
      int listsAtStart = lists.get();
      running = List.of(container("a"));
      events.event();
      events.event();
      events.event();
      clock.runDue();
      assertEquals(listsAtStart + 1, lists.get(), "three events, one relist");
      assertEquals(1, usageReads.get(), "the new container's usage is read without waiting for housekeeping");
      assertEquals(List.of("a"), catalog.snapshot().containers().stream().map(e -> e.info().id()).toList());
    }
  }

  @Test
  void anEndedStreamAsksForARelistAndIsReopenedWithADoublingBackoff() {
    Streams events = new Streams();
    try (ContainerCatalog catalog = catalog(events).start()) {
      clock.runDue();
      int before = lists.get();
      events.end();
      clock.runDue();
      assertTrue(lists.get() > before, "relisted when the stream ended");
      assertEquals(1, events.closed.get(), "the ended stream is let go");
      clock.advance(Duration.ofMillis(499));
      assertEquals(1, events.opened());
      clock.advance(Duration.ofMillis(1));
      assertEquals(2, events.opened(), "reopened after 0.5 s");
      events.end();
      clock.advance(Duration.ofMillis(999));
      assertEquals(2, events.opened());
      clock.advance(Duration.ofMillis(1));
      assertEquals(3, events.opened(), "then after 1 s");
      clock.advance(Duration.ofSeconds(11));
      events.end();
      clock.advance(Duration.ofMillis(500));
      assertEquals(4, events.opened(), "a stream that stayed up 10 s starts the backoff over");
    }
    assertEquals(4, events.closed.get(), "close lets the open stream go");
  }
}
