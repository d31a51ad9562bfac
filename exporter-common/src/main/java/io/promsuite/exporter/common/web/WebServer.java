package io.promsuite.exporter.common.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.promsuite.exporter.common.log.Logging;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * The exporter's HTTP(S) server. Routes are {@code com.sun.net.httpserver} handlers (what client_java's
 * exporter-httpserver and our own handlers are written against); beneath them runs Jetty, through
 * an HttpExchange adapter ({@link Exchanges}). The JDK's own server could not be bounded from
 * outside: it spends 40-100 KiB of heap on every open connection and turns a half-sent request that
 * ends in EOF into a request (measured, see docs/exporter-common.md). Jetty holds an idle or half-sent
 * connection in a few KiB, without a thread.
 *
 * <p>Every request runs on a virtual thread. With TLS configured nothing is served in plain text: a
 * plain request on the TLS port gets Go's 400. The live web config's TLS material, basic auth and
 * headers apply to every request.
 */
public final class WebServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(WebServer.class.getName());

  /**
   * How long a connection may wait for its client (a request's head, a TLS handshake, an idle
   * kept-alive connection) and how many connections may be open at once (past it new connections
   * wait in the kernel's accept queue).
   */
  public record Limits(Duration readHeaderTimeout, int maxConnections) {
    public static final Limits DEFAULT = new Limits(Duration.ofSeconds(10), 1024);

    /** The header deadline given, and a connection cap that follows the heap. */
    public static Limits forHeap(Duration readHeaderTimeout) {
      return new Limits(readHeaderTimeout, connectionCap(Runtime.getRuntime().maxMemory()));
    }

    public Limits {
      if (readHeaderTimeout.isNegative() || readHeaderTimeout.isZero()) {
        throw new IllegalArgumentException("read header timeout must be positive, got " + readHeaderTimeout);
      }
      if (maxConnections < 1) {
        throw new IllegalArgumentException("most connections open at once must be 1 or more, got " + maxConnections);
      }
    }
  }

  /**
   * A quarter of the heap at 16 KiB a connection (what one costs while its request is read or
   * answered; an idle one costs less), between 512 and 8192: 24 MiB heap 512, 128 MiB 2048.
   */
  static int connectionCap(long maxHeapBytes) {
    return (int) Math.clamp(maxHeapBytes / 4 / (16 * 1024), 512, 8192);
  }

  /**
   * Connections the kernel may hold before we accept them, as Go asks for (net.core.somaxconn, the
   * kernel caps it there): with 256 a burst of scrapes overflowed the queue and clients saw resets.
   */
  private static final int BACKLOG = 4096;
  /** Request line and headers at most (Go: 1 MB; Prometheus sends a few hundred bytes). */
  private static final int MAX_HEAD_BYTES = 64 * 1024;
  /** A connection with nothing going on either way is closed after this (Go's default: never). */
  private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);

  private final Server server;
  private final ServerConnector connector;

  private WebServer(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /** Starts a server with a fixed web config and default limits (tests, embedding). */
  public static WebServer start(InetSocketAddress address, WebConfig config, Map<String, HttpHandler> routes)
      throws IOException, GeneralSecurityException {
    try {
      return start(address, LiveWebConfig.of(config), routes, Limits.DEFAULT);
    } catch (io.promsuite.exporter.common.config.ConfigException e) {
      throw new GeneralSecurityException(e.getMessage(), e);
    }
  }

  public static WebServer start(InetSocketAddress address, LiveWebConfig web, Map<String, HttpHandler> routes,
      Limits limits) throws IOException, GeneralSecurityException {
    return start(address, web, routes, limits, null);
  }

  /**
   * As above; {@code firstRequest} (may be null) gets the target and the scrape-timeout header
   * (or null) of the first request that gets past the protocol checks, once, on that request's
   * thread and before its basic-auth check: it must only hand work to another thread.
   */
  public static WebServer start(InetSocketAddress address, LiveWebConfig web, Map<String, HttpHandler> routes,
      Limits limits, java.util.function.BiConsumer<java.net.URI, String> firstRequest)
      throws IOException, GeneralSecurityException {
    boolean tls = web.active().tls() != null;
    VirtualThreadPool threads = new VirtualThreadPool();
    threads.setName("web");
    Server server = new Server(threads);
    server.setStopTimeout(1000);
    server.setErrorHandler(new PlainErrors());

    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setRequestHeaderSize(MAX_HEAD_BYTES);
    http.setResponseHeaderSize(16 * 1024);
    HttpConnectionFactory http11 = new HttpConnectionFactory(http);
    ServerConnector connector;
    if (tls) {
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(new KeyManager[] {new LiveTls.KeyManager(() -> web.active().tls())},
          new TrustManager[] {new LiveTls.TrustManager(() -> web.active().tls())}, new SecureRandom());
      // Client certificates are checked by the trust manager; no SNI-to-Host matching (Go has none).
      http.addCustomizer(new SecureRequestCustomizer(false));
      SslConnectionFactory handshakes = new SslConnectionFactory(new LiveSslContextFactory(ssl, web),
          http11.getProtocol());
      // Plain HTTP sent to the TLS port is detected and handed to HTTP/1.1, where Guard answers 400.
      connector = new ServerConnector(server, 0, 1, new DetectorConnectionFactory(handshakes), http11);
    } else {
      connector = new ServerConnector(server, 0, 1, http11);
    }
    connector.setHost(address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress());
    connector.setPort(address.getPort());
    connector.setAcceptQueueSize(BACKLOG);
    // Idle kept-alive connections (Prometheus keeps one per target between scrapes) and requests
    // whose handler is slow (a scrape waiting for its collectors) keep their connection; the header
    // deadline is ConnectionWatch's.
    connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
    connector.addEventListener(new ConnectionWatch(connector, limits.readHeaderTimeout()));
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(limits.maxConnections(), server));
    server.setHandler(new Guard(web, tls, routes, firstRequest));
    try {
      server.start();
    } catch (IOException e) {
      stopQuietly(server);
      if (e.getCause() instanceof java.net.BindException bind) {
        throw new java.net.BindException(bind.getMessage());
      }
      throw e;
    } catch (Exception e) {
      stopQuietly(server);
      throw new IOException(e.getMessage(), e);
    }
    return new WebServer(server, connector);
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception ignored) {
      // already failing; the cause is what the caller reports
    }
  }

  static SSLParameters parameters(SSLContext ssl, WebConfig.TlsServerConfig tls) {
    SSLParameters p = ssl.getDefaultSSLParameters();
    p.setProtocols(TlsVersions.between(tls.minVersion(), tls.maxVersion()));
    if (!tls.cipherSuites().isEmpty()) {
      p.setCipherSuites(tls.cipherSuites().toArray(String[]::new));
    }
    if (tls.preferServerCipherSuites() == null || tls.preferServerCipherSuites()) {
      p.setUseCipherSuitesOrder(true);
    }
    switch (tls.clientAuthType()) {
      case "RequireAnyClientCert", "RequireAndVerifyClientCert" -> p.setNeedClientAuth(true);
      case "RequestClientCert", "VerifyClientCertIfGiven" -> p.setWantClientAuth(true);
      default -> { }
    }
    return p;
  }

  public int port() {
    return connector.getLocalPort();
  }

  /** Stops accepting, lets requests in flight finish for up to a second. */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      Logging.log(LOG, Level.FINE, "web server stopped with an error", "err", String.valueOf(e.getMessage()));
    }
  }

  /** Sends a small plain-text response; for handlers' errors and simple endpoints. */
  public static void respond(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      ex.getResponseBody().write(bytes);
    }
    ex.close();
  }

}
