package io.promsuite.exporter.common.log;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * Writes each record as one line to a stream (stderr) without ever making a thread wait for
 * another: the thread that gets the lock writes, its own line and whatever others queued
 * meanwhile; a thread that finds the lock taken (a writer stuck on a full pipe, a writer that ran
 * out of memory) queues its line and goes on, and past 1,024 queued lines they are dropped and
 * counted. Otherwise one blocked write holds every thread, including the one handling SIGTERM,
 * which is how an exporter once ignored SIGTERM for 9 minutes.
 */
final class NonBlockingHandler extends Handler {
  private static final int QUEUE = 1024;

  private final OutputStream out;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayBlockingQueue<String> pending = new ArrayBlockingQueue<>(QUEUE);
  private final AtomicLong dropped = new AtomicLong();

  NonBlockingHandler(OutputStream out, Formatter formatter) {
    this.out = out;
    setFormatter(formatter);
  }

  @Override
  public void publish(LogRecord record) {
    if (!isLoggable(record)) {
      return;
    }
    String line;
    try {
      line = getFormatter().format(record);
    } catch (RuntimeException e) {
      reportError(null, e, ErrorManager.FORMAT_FAILURE);
      return;
    }
    if (!pending.offer(line)) {
      dropped.incrementAndGet();
    }
    drain();
  }

  /** Writes what is queued if no other thread is writing; never waits. */
  private void drain() {
    while (!pending.isEmpty() && lock.tryLock()) {
      try {
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
          write("level=warn msg=\"log lines dropped: the log output was blocked\" count=" + lost + "\n");
        }
        for (String line = pending.poll(); line != null; line = pending.poll()) {
          write(line);
        }
        out.flush();
      } catch (IOException e) {
        reportError(null, e, ErrorManager.WRITE_FAILURE);
      } finally {
        lock.unlock();
      }
      // A line queued between our last poll and unlock is picked up by the loop.
    }
  }

  private void write(String line) throws IOException {
    out.write(line.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void flush() {
    drain();
  }

  /** Writes what it can without waiting; the stream (stderr) is not ours to close. */
  @Override
  public void close() {
    drain();
  }
}
