package io.promsuite.exporter.common.web;

import io.promsuite.exporter.common.log.Logging;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;

/**
 * At debug level, connections that ended before a request was read (a half-sent request or
 * handshake closed at the header deadline, a client that gave up) and failed TLS handshakes, with
 * the client's address and why. Nothing is logged above debug: these are what scanners and load
 * balancers' health checks do all day.
 */
final class ConnectionLog implements Connection.Listener, SslHandshakeListener {
  private static final Logger LOG = Logger.getLogger(ConnectionLog.class.getName());

  @Override
  public void onOpened(Connection connection) {
  }

  @Override
  public void onClosed(Connection connection) {
    if (!LOG.isLoggable(Level.FINE)) {
      return;
    }
    String remote = String.valueOf(connection.getEndPoint().getRemoteSocketAddress());
    if (connection instanceof SslConnection ssl
        && "SSL_NULL_WITH_NULL_NULL".equals(ssl.getSSLEngine().getSession().getCipherSuite())) {
      Logging.log(LOG, Level.FINE, "TLS connection closed before a request was read", "remote", remote,
          "reason", "TLS handshake not complete: closed by the client or after --web.read-header-timeout");
    } else if (!(connection instanceof SslConnection) && connection.getMessagesIn() == 0
        && connection.getBytesIn() > 0) {
      Logging.log(LOG, Level.FINE, "connection closed before a request was read", "remote", remote,
          "reason", "request head not complete: closed by the client or after --web.read-header-timeout");
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
