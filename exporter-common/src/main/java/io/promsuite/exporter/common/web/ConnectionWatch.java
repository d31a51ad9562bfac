package io.promsuite.exporter.common.web;

import io.promsuite.exporter.common.log.Logging;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;

/**
 * The header deadline and, at debug level, the log of connections that ended before a request was
 * read. As Go's {@code ReadHeaderTimeout}, a request head (and a TLS handshake) must be complete
 * within {@code --web.read-header-timeout} of its first byte, and a client that sends a byte now and
 * then does not extend it; like Go's, the deadline only cuts off a connection that is waiting for
 * its client (Jetty has asked for more bytes), not one whose bytes have arrived but wait for the CPU
 * (a burst of honest scrapes on a busy machine). A connection that sends nothing at all is closed
 * after the same time, or 10 s if that is longer. Handlers are never cut short, and an idle
 * kept-alive connection is left open (Jetty's idle timeout, much longer, closes those). Each
 * connection is looked at every quarter of the deadline. Nothing is logged above debug: half-open
 * connections are what scanners and load balancers' health checks do all day.
 */
final class ConnectionWatch implements Connection.Listener, SslHandshakeListener {
  private static final Logger LOG = Logger.getLogger(ConnectionWatch.class.getName());

  private final org.eclipse.jetty.server.Connector connector;
  private final long deadlineNanos;
  private final long silentNanos;
  private final long tickMillis;

  ConnectionWatch(org.eclipse.jetty.server.Connector connector, Duration readHeaderTimeout) {
    this.connector = connector;
    this.deadlineNanos = readHeaderTimeout.toNanos();
    this.silentNanos = Math.max(deadlineNanos, Duration.ofSeconds(10).toNanos());
    this.tickMillis = Math.max(50, readHeaderTimeout.toMillis() / 4);
  }

  @Override
  public void onOpened(Connection connection) {
    // TLS connections are made by the detecting layer once the first bytes are in: their clock starts
    // now. HTTP/1.1 connections count the request heads they read; the detecting layer does not.
    if (connection instanceof SslConnection || connection.getMessagesIn() >= 0) {
      new Watch(connection).schedule();
    }
  }

  /** One connection's progress: requests read, bytes read, since when a head has been coming. */
  private final class Watch implements Runnable {
    private final Connection connection;
    private final long opened = System.nanoTime();
    private long requests;
    private long bytes;
    /** When the head (or handshake) being read started; 0: none yet. */
    private long headSince;

    Watch(Connection connection) {
      this.connection = connection;
      if (connection instanceof SslConnection) {
        headSince = opened;
      }
    }

    void schedule() {
      connector.getScheduler().schedule(this, tickMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void run() {
      EndPoint endPoint = connection.getEndPoint();
      if (!endPoint.isOpen()) {
        return;
      }
      long now = System.nanoTime();
      if (connection instanceof SslConnection ssl) {
        if (handshaken(ssl)) {
          return; // the HTTP connection on top has its own watch
        }
        if (now - headSince >= deadlineNanos && endPoint.isFillInterested()) {
          close(connection, "TLS handshake not complete after " + Duration.ofNanos(deadlineNanos));
          return;
        }
        schedule();
        return;
      }
      long r = connection.getMessagesIn();
      long b = connection.getBytesIn();
      if (r > requests) {
        requests = r;
        bytes = b;
        headSince = 0;
      } else if (headSince == 0 && b > bytes) {
        headSince = now;
      }
      boolean waitingForClient = endPoint.isFillInterested();
      if (headSince != 0 && now - headSince >= deadlineNanos && waitingForClient) {
        close(connection, "request head not complete after " + Duration.ofNanos(deadlineNanos));
        return;
      }
      if (requests == 0 && b == 0 && now - opened >= silentNanos && waitingForClient) {
        close(connection, "nothing sent in " + Duration.ofNanos(silentNanos));
        return;
      }
      schedule();
    }
  }

  private static void close(Connection connection, String why) {
    connection.getEndPoint().close(new java.util.concurrent.TimeoutException(why));
  }

  private static boolean handshaken(SslConnection ssl) {
    return !"SSL_NULL_WITH_NULL_NULL".equals(ssl.getSSLEngine().getSession().getCipherSuite());
  }

  @Override
  public void onClosed(Connection connection) {
    if (!LOG.isLoggable(Level.FINE)) {
      return;
    }
    String remote = String.valueOf(connection.getEndPoint().getRemoteSocketAddress());
    if (connection instanceof SslConnection ssl && !handshaken(ssl)) {
      Logging.log(LOG, Level.FINE, "TLS connection closed before a request was read", "remote", remote,
          "reason", "TLS handshake not complete: closed by the client or at --web.read-header-timeout");
    } else if (!(connection instanceof SslConnection) && connection.getMessagesIn() == 0
        && connection.getBytesIn() > 0) {
      Logging.log(LOG, Level.FINE, "connection closed before a request was read", "remote", remote,
          "reason", "request head not complete: closed by the client or at --web.read-header-timeout");
    }
  }

  @Override
  public void handshakeFailed(Event event, Throwable failure) {
    if (LOG.isLoggable(Level.FINE)) {
      Logging.log(LOG, Level.FINE, "TLS handshake failed", "remote",
          String.valueOf(event.getEndPoint().getRemoteSocketAddress()), "reason", String.valueOf(failure.getMessage()));
    }
  }
}
