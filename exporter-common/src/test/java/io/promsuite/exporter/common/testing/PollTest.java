package io.promsuite.exporter.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The one poll helper: returns what satisfied it, and says what it saw last when it gives up. */
class PollTest {

  @Test
  void returnsTheFirstValueTheConditionAccepts() {
    AtomicInteger n = new AtomicInteger();
    assertEquals(3, Poll.until(Duration.ofSeconds(30), "three", n::incrementAndGet, v -> v == 3));
  }

  @Test
  void exceptionsMeanNotYet() {
    AtomicInteger n = new AtomicInteger();
    String v = Poll.untilOk(Duration.ofSeconds(30), "the third call", () -> {
      if (n.incrementAndGet() < 3) {
        throw new IOException("connection refused");
      }
      return "up";
    });
    assertEquals("up", v);
    assertEquals(3, n.get());
  }

  @Test
  void failureNamesWhatWasAwaitedAndTheLastValue() {
    AtomicInteger n = new AtomicInteger();
    AssertionError e = assertThrows(AssertionError.class,
        () -> Poll.until(Duration.ofMillis(300), "a negative number", n::incrementAndGet, v -> v < 0));
    assertTrue(e.getMessage().startsWith("not within 300 ms: a negative number; last value: "), e.getMessage());
    assertTrue(e.getMessage().endsWith(": " + n.get()), e.getMessage());
  }

  @Test
  void failureCarriesTheLastErrorAsCause() {
    AssertionError e = assertThrows(AssertionError.class, () -> Poll.untilPasses(Duration.ofMillis(200), "the port",
        () -> {
          throw new IOException("refused");
        }));
    assertTrue(e.getMessage().contains("last error: java.io.IOException: refused"), e.getMessage());
    assertTrue(e.getCause() instanceof IOException);
  }

  @Test
  void abortStopsAtOnce() {
    AtomicInteger n = new AtomicInteger();
    AssertionError e = assertThrows(AssertionError.class, () -> Poll.until(Duration.ofMinutes(5), "a dead process",
        () -> {
          n.incrementAndGet();
          throw Poll.abort("exited with 1");
        }));
    assertEquals(1, n.get(), "no second call after an abort");
    assertEquals("gave up waiting for a dead process: exited with 1", e.getMessage());
  }

  @Test
  void holdsFailsOnTheFirstBreak() {
    AtomicInteger n = new AtomicInteger();
    AssertionError e = assertThrows(AssertionError.class, () -> Poll.holds(Duration.ofMinutes(5), "below two",
        () -> assertTrue(n.incrementAndGet() < 2, "was " + n.get())));
    assertEquals(2, n.get());
    assertTrue(e.getMessage().contains("below two"), e.getMessage());
  }
}
