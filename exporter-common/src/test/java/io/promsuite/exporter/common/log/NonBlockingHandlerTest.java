package io.promsuite.exporter.common.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** A log output that blocks (a full pipe) holds only the thread writing to it, never the others. */
class NonBlockingHandlerTest {
  /** Blocks every write until released, as stderr does when nobody reads the pipe. */
  static final class StuckPipe extends OutputStream {
    final CountDownLatch writing = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final ByteArrayOutputStream written = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      writing.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (written) {
        written.write(b, off, len);
      }
    }
  }

  private static LogRecord record(String msg) {
    LogRecord r = new LogRecord(Level.INFO, msg);
    r.setLoggerName("test");
    return r;
  }

  @Test
  void aThreadLoggingWhileTheOutputIsStuckGoesOnAndItsLineIsWrittenLater() throws Exception {
    StuckPipe pipe = new StuckPipe();
    NonBlockingHandler handler = new NonBlockingHandler(pipe, new Logging.LineFormatter(false));
    Thread stuck = Thread.ofPlatform().start(() -> handler.publish(record("first")));
    assertTrue(pipe.writing.await(10, TimeUnit.SECONDS));

    long t0 = System.nanoTime();
    handler.publish(record("shutting down"));
    handler.flush();
    handler.close();
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(ms < 1000, "publish, flush and close returned while the output was stuck, after " + ms + " ms");

    pipe.release.countDown();
    stuck.join(10_000);
    String out = pipe.written.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("msg=first"), out);
    assertTrue(out.contains("msg=\"shutting down\""), "the queued line is written by the thread that held the output: " + out);
    assertEquals(2, out.lines().count(), out);
  }
}
