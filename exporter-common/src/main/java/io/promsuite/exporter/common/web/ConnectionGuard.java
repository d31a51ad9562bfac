package io.promsuite.exporter.common.web;

import io.promsuite.exporter.common.log.Logging;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The JDK server's executor: each request runs on its own virtual thread, from the first byte of
 * the connection (TLS handshake, request line, headers) through the handler. The JDK server
 * allocates a connection's buffers (tens of KiB, more with TLS) on that thread and has no header
 * or handshake deadline of its own, so a client that sends half a request would hold them forever.
 * Requests still being read are therefore bounded twice: after {@code readHeaderTimeout}, and when
 * more than {@code maxReading} are being read at once, the oldest is dropped. Dropping interrupts
 * the thread, which closes the blocking channel it waits on (an InterruptibleChannel), so the JDK
 * server closes the connection and frees its buffers. Requests that reached a handler are never
 * interrupted.
 */
final class ConnectionGuard implements Executor, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ConnectionGuard.class.getName());
  private static final int READING = 0;
  private static final int HANDLING = 1;
  private static final int DROPPED = 2;
  private static final ThreadLocal<Task> CURRENT = new ThreadLocal<>();

  /** One request: its thread, when it started and whether a handler has it yet. */
  final class Task {
    final long started = System.nanoTime();
    final AtomicInteger state = new AtomicInteger(READING);
    volatile Thread thread;
    volatile String remote;
    volatile String tlsStage;
    volatile String dropReason;

    ConnectionGuard guard() {
      return ConnectionGuard.this;
    }
  }

  private final long readHeaderTimeoutNanos;
  private final int maxReading;
  private final boolean tls;
  private final ConcurrentLinkedDeque<Task> reading = new ConcurrentLinkedDeque<>();
  private final AtomicInteger readingCount = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private final Thread reaper;
  private volatile boolean closed;

  ConnectionGuard(Duration readHeaderTimeout, int maxReading, boolean tls) {
    this.readHeaderTimeoutNanos = readHeaderTimeout.toNanos();
    this.maxReading = maxReading;
    this.tls = tls;
    long period = Math.max(50, Math.min(1000, readHeaderTimeout.toMillis() / 4));
    this.reaper = Thread.ofVirtual().name("web-read-timeout").start(() -> {
      while (!closed) {
        try {
          Thread.sleep(period);
        } catch (InterruptedException e) {
          return;
        }
        dropExpired();
      }
    });
  }

  @Override
  public void execute(Runnable exchange) {
    if (closed) {
      throw new java.util.concurrent.RejectedExecutionException("web server stopped");
    }
    Task task = new Task();
    reading.addLast(task);
    readingCount.incrementAndGet();
    task.thread = Thread.ofVirtual().name("web").unstarted(() -> run(task, exchange));
    task.thread.start();
    while (readingCount.get() > maxReading) {
      Task oldest = reading.peekFirst();
      if (oldest == null || oldest == task) {
        break;
      }
      drop(oldest, "too many connections being read at once (" + maxReading + "); dropped the oldest");
    }
  }

  private void run(Task task, Runnable exchange) {
    CURRENT.set(task);
    try {
      exchange.run();
    } finally {
      CURRENT.remove();
      if (task.state.get() != HANDLING) {
        if (task.state.compareAndSet(READING, DROPPED)) {
          forget(task);
        }
        // The interrupt (if it was us) has done its work; the virtual thread ends here.
        Thread.interrupted();
        if (LOG.isLoggable(Level.FINE)) {
          logUnread(task);
        }
      }
    }
  }

  private void logUnread(Task task) {
    String why = task.dropReason;
    if (tls && why == null) {
      why = task.tlsStage == null
          ? "TLS handshake failed or the client closed before sending a request"
          : "TLS handshake failed: " + task.tlsStage;
    } else if (why == null) {
      why = "closed by the client, or not a valid HTTP request";
    }
    Logging.log(LOG, Level.FINE, tls ? "TLS connection closed before a request was read"
        : "connection closed before a request was read", "remote", String.valueOf(task.remote), "reason", why);
  }

  /** Called once a handler is about to run; false when the request was dropped just before. */
  static boolean enterHandler() {
    Task task = CURRENT.get();
    if (task == null) {
      return true; // not on one of our threads (a test calling a handler directly)
    }
    if (task.state.compareAndSet(READING, HANDLING)) {
      task.guard().forget(task);
      return true;
    }
    return false;
  }

  /** Notes, on the request's own thread, what the TLS handshake got to (for the debug log). */
  static void tlsProgress(String remote, String stage) {
    Task task = CURRENT.get();
    if (task != null) {
      if (remote != null) {
        task.remote = remote;
      }
      if (stage != null) {
        task.tlsStage = stage;
      }
    }
  }

  private void forget(Task task) {
    if (reading.remove(task)) {
      readingCount.decrementAndGet();
    }
  }

  private void drop(Task task, String reason) {
    if (task.state.compareAndSet(READING, DROPPED)) {
      task.dropReason = reason;
      forget(task);
      dropped.incrementAndGet();
      Thread t = task.thread;
      if (t != null) {
        t.interrupt();
      }
    } else {
      forget(task);
    }
  }

  private void dropExpired() {
    long now = System.nanoTime();
    for (Iterator<Task> it = reading.iterator(); it.hasNext(); ) {
      Task t = it.next();
      if (now - t.started < readHeaderTimeoutNanos) {
        break; // the deque is in start order
      }
      drop(t, "request head or TLS handshake not complete after " + Duration.ofNanos(readHeaderTimeoutNanos));
    }
  }

  /** Requests dropped so far (timed out or evicted) while still being read. */
  long dropped() {
    return dropped.get();
  }

  int reading() {
    return readingCount.get();
  }

  @Override
  public void close() {
    closed = true;
    reaper.interrupt();
  }
}
