package io.promsuite.exporter.common.web;

import io.promsuite.exporter.common.log.Logging;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The JDK server's executor: each request runs on its own virtual thread, from the first byte of
 * the connection (TLS handshake, request line, headers) through the handler. The JDK server
 * allocates a connection's buffers (about 40 KiB, about 100 KiB with TLS) on that thread and has no
 * header or handshake deadline of its own, so clients that send half a request would hold them
 * until the heap runs out, and so would a burst of requests that outruns the CPU. So at most
 * {@code maxRunning} requests run at once; the others wait (a waiting request has no buffers yet),
 * newest first, so that a client arriving after a flood is served next. While requests wait, one that has waited for its client for longer than a second is
 * dropped to make room, and any request not read within {@code readHeaderTimeout}, waiting or not,
 * is dropped.
 * Dropping interrupts the thread, which closes the blocking channel it reads (an
 * InterruptibleChannel): the JDK server then closes the connection and its buffers are freed.
 * Requests that reached a handler are never dropped.
 */
final class ConnectionGuard implements Executor, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ConnectionGuard.class.getName());
  private static final int WAITING = -1;
  private static final int READING = 0;
  private static final int HANDLING = 1;
  private static final int DROPPED = 2;
  private static final ThreadLocal<Task> CURRENT = new ThreadLocal<>();

  /** One request: its exchange, thread, when it arrived and whether a handler has it yet. */
  final class Task {
    final long arrived = System.nanoTime();
    volatile long started;
    final AtomicInteger state = new AtomicInteger(WAITING);
    final Runnable exchange;
    volatile Thread thread;
    volatile String remote;
    volatile String tlsStage;
    volatile String dropReason;

    Task(Runnable exchange) {
      this.exchange = exchange;
    }

    ConnectionGuard guard() {
      return ConnectionGuard.this;
    }
  }

  private final long readHeaderTimeoutNanos;
  private final long graceNanos;
  private final int maxRunning;
  private final boolean tls;
  private final Object lock = new Object();
  private final java.util.ArrayDeque<Task> waiting = new java.util.ArrayDeque<>();
  /** Requests running (being read or handled), in start order. */
  private final java.util.LinkedHashSet<Task> running = new java.util.LinkedHashSet<>();
  private final Thread reaper;
  private volatile boolean closed;

  ConnectionGuard(Duration readHeaderTimeout, int maxRunning, boolean tls) {
    this.readHeaderTimeoutNanos = readHeaderTimeout.toNanos();
    this.graceNanos = Math.min(Duration.ofSeconds(1).toNanos(), readHeaderTimeoutNanos / 2);
    this.maxRunning = maxRunning;
    this.tls = tls;
    long period = Math.max(50, Math.min(250, readHeaderTimeout.toMillis() / 4));
    this.reaper = Thread.ofVirtual().name("web-read-timeout").start(() -> {
      while (!closed) {
        try {
          Thread.sleep(period);
        } catch (InterruptedException e) {
          return;
        }
        reap();
      }
    });
  }

  @Override
  public void execute(Runnable exchange) {
    if (closed) {
      throw new java.util.concurrent.RejectedExecutionException("web server stopped");
    }
    Task task = new Task(exchange);
    synchronized (lock) {
      waiting.addLast(task);
      makeRoom(System.nanoTime());
    }
  }

  /** Starts waiting requests, newest first, while there is room; drops a stale read to make some. Under lock. */
  private void makeRoom(long now) {
    while (!waiting.isEmpty()) {
      if (running.size() >= maxRunning) {
        Task stale = stalest(now);
        if (stale == null) {
          return;
        }
        drop(stale, "too many requests at once (" + maxRunning + "); dropped one whose head was awaited from "
            + "the client for over " + Duration.ofNanos(graceNanos).toMillis() + " ms");
        continue;
      }
      Task next = waiting.pollLast();
      if (!next.state.compareAndSet(WAITING, READING)) {
        continue;
      }
      next.started = now;
      running.add(next);
      next.thread = Thread.ofVirtual().name("web").start(() -> run(next));
    }
  }

  /**
   * The oldest read that is past the grace period and parked, i.e. waiting for bytes from its
   * client; a read that is only slow because the CPU is busy (a burst of honest scrapes) is
   * runnable, not parked, and is left alone. Under lock.
   */
  private Task stalest(long now) {
    for (Task t : running) {
      if (now - t.started < graceNanos) {
        return null; // in start order
      }
      Thread th = t.thread;
      if (t.state.get() == READING && th != null && th.getState() == Thread.State.WAITING) {
        return t;
      }
    }
    return null;
  }

  private void run(Task task) {
    CURRENT.set(task);
    try {
      task.exchange.run();
    } finally {
      CURRENT.remove();
      forget(task);
      if (task.state.get() != HANDLING) {
        task.state.compareAndSet(READING, DROPPED);
        // The interrupt (if it was ours) has done its work; the virtual thread ends here.
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
    return task.state.compareAndSet(READING, HANDLING);
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
    synchronized (lock) {
      if (running.remove(task)) {
        makeRoom(System.nanoTime());
      }
    }
  }

  /** Under lock, or for a task no longer in any collection. */
  private void drop(Task task, String reason) {
    if (task.state.compareAndSet(READING, DROPPED)) {
      running.remove(task);
      task.dropReason = reason;
      Thread t = task.thread;
      if (t != null) {
        t.interrupt();
      }
    }
  }

  private void reap() {
    long now = System.nanoTime();
    List<Task> expired = new ArrayList<>();
    synchronized (lock) {
      List<Task> late = new ArrayList<>();
      for (Task t : running) {
        if (now - t.started < readHeaderTimeoutNanos) {
          break; // in start order
        }
        if (t.state.get() == READING) {
          late.add(t);
        }
      }
      for (Task t : late) {
        drop(t, "request head or TLS handshake not complete after " + Duration.ofNanos(readHeaderTimeoutNanos));
      }
      for (Iterator<Task> it = waiting.iterator(); it.hasNext(); ) {
        Task t = it.next();
        if (now - t.arrived < readHeaderTimeoutNanos) {
          break; // in arrival order
        }
        it.remove();
        if (t.state.compareAndSet(WAITING, DROPPED)) {
          expired.add(t);
        }
      }
      makeRoom(now);
    }
    // A request that waited too long is closed by running it on a thread already interrupted: its
    // first read closes the channel. One at a time, so their buffers never add up.
    for (Task t : expired) {
      t.dropReason = "waited " + Duration.ofNanos(readHeaderTimeoutNanos) + " for a slot to be read";
      CURRENT.set(t);
      try {
        Thread.currentThread().interrupt();
        t.exchange.run();
      } finally {
        Thread.interrupted();
        CURRENT.remove();
      }
      if (LOG.isLoggable(Level.FINE)) {
        logUnread(t);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    reaper.interrupt();
  }
}
