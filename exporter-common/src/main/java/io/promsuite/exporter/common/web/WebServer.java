package io.promsuite.exporter.common.web;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * The exporter's HTTP(S) server: the JDK {@code HttpServer} (what client_java's exporter-httpserver
 * runs on), one virtual thread per request, with the live web config's TLS, basic auth and headers
 * applied to every route. With TLS configured nothing is served in plain text. Abusive clients are
 * bounded (see {@link ConnectionGuard} and {@link #jdkDefaults}).
 */
public final class WebServer implements AutoCloseable {
  /**
   * How long a request's head (and TLS handshake) may take, and how many requests run at once (the
   * rest wait for a slot, cheaply; see {@link ConnectionGuard}).
   */
  public record Limits(Duration readHeaderTimeout, int maxRunning) {
    public static final Limits DEFAULT = new Limits(Duration.ofSeconds(10), 64);

    /** Room for {@code maxRequests} scrapes and at least 24 other requests (health checks, the landing page). */
    public static Limits forScrapes(Duration readHeaderTimeout, int maxRequests) {
      return new Limits(readHeaderTimeout, Math.max(DEFAULT.maxRunning(), maxRequests + 24));
    }

    public Limits {
      if (readHeaderTimeout.isNegative() || readHeaderTimeout.isZero()) {
        throw new IllegalArgumentException("read header timeout must be positive, got " + readHeaderTimeout);
      }
      if (maxRunning < 1) {
        throw new IllegalArgumentException("most requests running at once must be 1 or more, got " + maxRunning);
      }
    }
  }

  static {
    jdkDefaults();
  }

  /**
   * The JDK server's own limits are system properties read once, when its classes load; they are
   * set here (before any server is made) unless the launcher or JAVA_OPTS set them already.
   */
  private static void jdkDefaults() {
    // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's
    // delayed ACK: every kept-alive scrape would wait ~40 ms.
    setDefault("sun.net.httpserver.nodelay", "true");
    // Open connections at most; past it the JDK server closes a new connection as soon as it is
    // accepted. A connection the server has finished with keeps its buffers (about 40 KiB, more
    // with TLS) until the server's single dispatcher thread gets round to closing it, and under a
    // burst that thread falls behind: measured, 1,000 concurrent scrapes left 500 such connections
    // (20 MiB) and a 24 MiB heap ran out. So the cap follows the heap: half of it at 64 KiB each.
    setDefault("jdk.httpserver.maxConnections", Long.toString(connectionCap(Runtime.getRuntime().maxMemory())));
    // Kept-alive idle connections keep their buffers (~25 KiB, ~60 KiB with TLS): keep few.
    setDefault("sun.net.httpserver.maxIdleConnections", "64");
    // A connection that sends nothing (no first byte, so no request thread yet) is closed after
    // min(idleInterval, maxReqTime), checked every clockTick ms. maxReqTime also closes a request
    // whose head or body is not read in time, as ConnectionGuard's own deadline does.
    setDefault("sun.net.httpserver.maxReqTime", "10");
    setDefault("sun.net.httpserver.clockTick", "1000");
  }

  /** Half the heap at 64 KiB a connection, between 128 and 4096 (24 MiB heap: 192; 64 MiB: 512). */
  static long connectionCap(long maxHeapBytes) {
    return Math.clamp(maxHeapBytes / 2 / (64 * 1024), 128, 4096);
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /**
   * Connections the kernel may hold before we accept them, as Go asks for (net.core.somaxconn, the
   * kernel caps it there): with 256 a burst of scrapes overflowed the queue and clients saw resets.
   */
  private static final int BACKLOG = 4096;

  private final HttpServer server;
  private final ConnectionGuard guard;

  private WebServer(HttpServer server, ConnectionGuard guard) {
    this.server = server;
    this.guard = guard;
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
    HttpServer server;
    boolean tls = web.active().tls() != null;
    if (tls) {
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(new KeyManager[] {new LiveTls.KeyManager(() -> web.active().tls())},
          new TrustManager[] {new LiveTls.TrustManager(() -> web.active().tls())}, new SecureRandom());
      HttpsServer https = HttpsServer.create(address, BACKLOG);
      https.setHttpsConfigurator(new HttpsConfigurator(ssl) {
        // Called for every new connection, on its request thread: the current config's parameters.
        @Override
        public void configure(HttpsParameters params) {
          ConnectionGuard.tlsProgress(String.valueOf(params.getClientAddress()), null);
          params.setSSLParameters(parameters(ssl, web.config().tlsServerConfig()));
        }
      });
      server = https;
    } else {
      server = HttpServer.create(address, BACKLOG);
    }
    Filter guardFilter = new GuardFilter(web);
    for (Map.Entry<String, HttpHandler> r : new LinkedHashMap<>(routes).entrySet()) {
      HttpContext ctx = server.createContext(r.getKey(), r.getValue());
      ctx.getFilters().add(guardFilter);
    }
    ConnectionGuard guard = new ConnectionGuard(limits.readHeaderTimeout(), limits.maxRunning(), tls);
    server.setExecutor(guard);
    server.start();
    return new WebServer(server, guard);
  }

  private static SSLParameters parameters(SSLContext ssl, WebConfig.TlsServerConfig tls) {
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
    return server.getAddress().getPort();
  }

  /** Stops accepting, lets exchanges in flight finish for up to a second. */
  @Override
  public void close() {
    server.stop(1);
    guard.close();
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

  /** HTTP version and Host checks as Go's net/http makes them, then basic auth and headers, before every route. */
  private static final class GuardFilter extends Filter {
    private final LiveWebConfig web;

    GuardFilter(LiveWebConfig web) {
      this.web = web;
    }

    @Override
    public void doFilter(HttpExchange ex, Chain chain) throws IOException {
      if (!ConnectionGuard.enterHandler()) {
        throw new IOException("request dropped while being read");
      }
      String version = ex.getProtocol();
      if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
        ex.getResponseHeaders().set("Connection", "close");
        respond(ex, 505, "505 HTTP Version Not Supported: unsupported protocol version\n");
        return;
      }
      if (version.equals("HTTP/1.1") && !ex.getRequestHeaders().containsKey("Host")) {
        ex.getResponseHeaders().set("Connection", "close");
        respond(ex, 400, "400 Bad Request: missing required Host header\n");
        return;
      }
      LiveWebConfig.Active active = web.active();
      active.config().headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
      if (active.auth().enabled() && !active.auth().check(ex.getRequestHeaders().getFirst("Authorization"))) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Basic");
        respond(ex, 401, "Unauthorized\n");
        return;
      }
      chain.doFilter(ex);
    }

    @Override
    public String description() {
      return "HTTP version, Host, web config: basic auth and headers";
    }
  }
}
