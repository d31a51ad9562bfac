package io.promsuite.exporter.common.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.ManualScheduler;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Scheduling, coalescing, publication, error counting and close of {@link BackgroundRefresh}, on a hand-driven clock. */
class BackgroundRefreshTest {
  private static final Duration SECOND = Duration.ofSeconds(1);
  private final ManualScheduler clock = new ManualScheduler();

  /** A body that counts its runs. */
  private static final class Counting implements BackgroundRefresh.Body {
    final AtomicInteger runs = new AtomicInteger();
    volatile Runnable during = () -> {};

    @Override
    public boolean run() {
      runs.incrementAndGet();
      during.run();
      return true;
    }
  }

  private BackgroundRefresh<String> refresh(String kind, Duration interval, BackgroundRefresh.Body body) {
    return BackgroundRefresh.builder("test", "initial").every(kind, interval, body).scheduler(clock).build();
  }

  @Test
  void startRunsEveryKindAtOnceThenEachOnItsOwnInterval() {
    Counting fast = new Counting();
    Counting slow = new Counting();
    try (BackgroundRefresh<String> r = BackgroundRefresh.builder("test", "initial")
        .every("fast", SECOND, fast).every("slow", Duration.ofSeconds(10), slow).scheduler(clock).build().start()) {
      clock.runDue();
      assertEquals(1, fast.runs.get());
      assertEquals(1, slow.runs.get());
      clock.advance(Duration.ofMillis(999));
      assertEquals(1, fast.runs.get(), "not before its interval");
      clock.advance(Duration.ofMillis(1));
      assertEquals(2, fast.runs.get());
      clock.advance(Duration.ofSeconds(9));
      assertEquals(11, fast.runs.get());
      assertEquals(2, slow.runs.get());
      assertEquals(new BackgroundRefresh.Stats(11, 0, 0), r.stats().get("fast"));
    }
  }

  @Test
  void theIntervalCountsFromTheEndOfARun() {
    Counting body = new Counting();
    body.during = () -> clock.pass(Duration.ofSeconds(3)); // each run takes 3 s
    try (BackgroundRefresh<String> r = refresh("k", Duration.ofSeconds(10), body).start()) {
      clock.runDue();
      assertEquals(Duration.ofSeconds(10), clock.nextIn(), "10 s after the end, not after the start");
      assertEquals(3.0, r.stats().get("k").lastDurationSeconds());
    }
  }

  @Test
  void triggersWhileWaitingCoalesceIntoOneRunAndTheIntervalStartsAgainAfterIt() {
    Counting body = new Counting();
    try (BackgroundRefresh<String> r = refresh("k", Duration.ofSeconds(10), body).start()) {
      clock.runDue();
      clock.advance(Duration.ofSeconds(4));
      r.refreshSoon("k");
      r.refreshSoon("k");
      r.refreshSoon("k");
      clock.runDue();
      assertEquals(2, body.runs.get(), "three triggers, one run");
      assertEquals(Duration.ofSeconds(10), clock.nextIn(), "the periodic run moved to 10 s after the triggered one");
    }
  }

  @Test
  void triggersDuringARunAddExactlyOneRunRightAfterIt() {
    Counting body = new Counting();
    AtomicReference<BackgroundRefresh<String>> self = new AtomicReference<>();
    body.during = () -> {
      if (body.runs.get() == 1) { // events arriving while the first run reads
        self.get().refreshSoon("k");
        self.get().refreshSoon("k");
      }
    };
    try (BackgroundRefresh<String> r = refresh("k", Duration.ofSeconds(10), body)) {
      self.set(r);
      r.start();
      clock.runDue();
      assertEquals(2, body.runs.get(), "the run that was going on, then one more for both triggers");
      assertEquals(Duration.ofSeconds(10), clock.nextIn());
    }
  }

  @Test
  void refreshAfterBringsARunForwardButNeverPutsItOff() {
    Counting body = new Counting();
    try (BackgroundRefresh<String> r = refresh("k", Duration.ofSeconds(10), body).start()) {
      clock.runDue();
      r.refreshAfter("k", Duration.ofSeconds(2));
      assertEquals(Duration.ofSeconds(2), clock.nextIn());
      r.refreshAfter("k", Duration.ofSeconds(30));
      assertEquals(Duration.ofSeconds(2), clock.nextIn(), "a later retry does not delay the run already due");
      clock.advance(Duration.ofSeconds(2));
      assertEquals(2, body.runs.get());
    }
  }

  @Test
  void triggersBeforeStartAreDroppedAndRunNowRunsOnTheCallersThread() {
    Counting body = new Counting();
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    body.during = () -> ranOn.set(Thread.currentThread());
    try (BackgroundRefresh<String> r = refresh("k", SECOND, body)) {
      r.refreshSoon("k");
      assertNull(clock.nextIn(), "nothing scheduled before start");
      assertTrue(r.runNow("k"));
      assertSame(Thread.currentThread(), ranOn.get());
      assertEquals(1, r.stats().get("k").runs(), "counted like a background run");
      assertNull(clock.nextIn(), "still nothing scheduled");
    }
  }

  @Test
  void listenersGetASnapshotBeforeReadersAndReadinessWaitsForTheFirst() {
    List<String> seen = new ArrayList<>();
    try (BackgroundRefresh<String> r = refresh("k", SECOND, () -> true)) {
      r.onPublish(s -> seen.add(s + " while readers see " + r.snapshot()));
      assertFalse(r.published());
      assertEquals("initial", r.snapshot());
      r.publish(() -> "first");
      r.publish(() -> "second");
      assertTrue(r.published());
      assertEquals("second", r.snapshot());
      assertEquals(List.of("first while readers see initial", "second while readers see first"), seen);
    }
  }

  @Test
  void aSlowRenderDoesNotHoldUpTriggersOrTheCounts() throws Exception {
    CountDownLatch rendering = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Counting body = new Counting();
    try (BackgroundRefresh<String> r = refresh("k", SECOND, body).start()) {
      r.onPublish(s -> {
        rendering.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      Thread publisher = Thread.ofVirtual().start(() -> r.publish(() -> "next"));
      assertTrue(rendering.await(60, TimeUnit.SECONDS));
      // Both would wait for the render if they shared its lock (a scrape reads the counts).
      assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
        r.refreshSoon("k");
        assertEquals(0, r.stats().get("k").runs());
      });
      assertEquals("initial", r.snapshot(), "not swapped in before its listeners are done");
      release.countDown();
      publisher.join();
      assertEquals("next", r.snapshot());
    }
  }

  @Test
  void aListenerThatThrowsDoesNotStopThePublication() {
    try (BackgroundRefresh<String> r = refresh("k", SECOND, () -> true)) {
      r.onPublish(s -> {
        throw new IllegalStateException("render failed");
      });
      r.publish(() -> "next");
      assertEquals("next", r.snapshot());
    }
  }

  @Test
  void failedRunsAreCountedLoggedOnceAndTheScheduleGoesOn() {
    AtomicInteger run = new AtomicInteger();
    // Fails by exception twice, then partly (false: the body logs that itself), then works.
    BackgroundRefresh.Body body = () -> switch (run.incrementAndGet()) {
      case 1, 2 -> throw new IOException("daemon gone");
      case 3 -> false;
      default -> true;
    };
    List<LogRecord> logged = new ArrayList<>();
    Logger logger = Logger.getLogger(BackgroundRefresh.class.getName());
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        logged.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Level before = logger.getLevel();
    logger.setLevel(Level.ALL);
    logger.addHandler(capture);
    try (BackgroundRefresh<String> r = refresh("list", SECOND, body).start()) {
      clock.runDue();
      clock.advance(Duration.ofSeconds(3));
      assertEquals(new BackgroundRefresh.Stats(4, 3, 0), r.stats().get("list"));
      assertEquals(Duration.ofSeconds(1), clock.nextIn(), "still on its interval");
    } finally {
      logger.removeHandler(capture);
      logger.setLevel(before);
    }
    List<String> levels = logged.stream().map(l -> l.getLevel() + " " + List.of(l.getParameters()).contains("daemon gone")).toList();
    assertEquals(List.of("WARNING true", "FINE true", "INFO false"), levels,
        "the first failure warns, a repeat is debug, the recovery after the exceptions is info");
  }

  @Test
  void closeStopsAllFurtherRuns() {
    Counting body = new Counting();
    BackgroundRefresh<String> r = refresh("k", SECOND, body).start();
    clock.runDue();
    r.close();
    r.refreshSoon("k");
    clock.advance(Duration.ofMinutes(1));
    assertEquals(1, body.runs.get());
    assertNull(clock.nextIn());
  }

  @Test
  void onPlatformThreadsATriggerRunsTheKindAndCloseInterruptsARunAndWaitsForIt() throws Exception {
    CountDownLatch first = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(2);
    AtomicBoolean virtual = new AtomicBoolean(true);
    AtomicBoolean interrupted = new AtomicBoolean();
    AtomicBoolean ended = new AtomicBoolean();
    CountDownLatch never = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    BackgroundRefresh<String> r = BackgroundRefresh.builder("real", "initial")
        .every("k", Duration.ofHours(1), () -> {
          virtual.set(Thread.currentThread().isVirtual());
          started.countDown();
          first.countDown();
          if (runs.incrementAndGet() == 2) {
            try {
              never.await(); // the second run blocks until close interrupts it
            } catch (InterruptedException e) {
              interrupted.set(true);
              throw e;
            } finally {
              ended.set(true);
            }
          }
          return true;
        }).build().start();
    // The first run is the start's; only the trigger can bring the second within the hour.
    assertTrue(first.await(60, TimeUnit.SECONDS), "the start ran it");
    r.refreshSoon("k");
    assertTrue(started.await(60, TimeUnit.SECONDS), "the triggered run started");
    assertFalse(virtual.get(), "a platform thread: renders must not hold a carrier thread");
    r.close();
    assertTrue(ended.get(), "close returned only after the run ended");
    assertTrue(interrupted.get());
  }
}
