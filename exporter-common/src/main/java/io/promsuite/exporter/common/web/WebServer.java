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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The exporter's HTTP(S) server: JDK {@code HttpServer} on virtual threads, with the web config's
 * TLS, basic auth and headers applied to every route. With TLS configured nothing is served in
 * plain text.
 */
public final class WebServer implements AutoCloseable {
  static {
    // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's
    // delayed ACK: every kept-alive scrape would wait ~40 ms.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;

  private WebServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  public static WebServer start(InetSocketAddress address, WebConfig config, Map<String, HttpHandler> routes)
      throws IOException, GeneralSecurityException {
    HttpServer server;
    WebConfig.TlsServerConfig tls = config.tlsServerConfig();
    if (tls != null) {
      SSLContext ssl = PemTls.serverContext(tls);
      HttpsServer https = HttpsServer.create(address, 256);
      https.setHttpsConfigurator(new HttpsConfigurator(ssl) {
        @Override
        public void configure(HttpsParameters params) {
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
          params.setSSLParameters(p);
        }
      });
      server = https;
    } else {
      server = HttpServer.create(address, 256);
    }
    Filter guard = new GuardFilter(new BasicAuth(config.basicAuthUsers()), config.headers());
    for (Map.Entry<String, HttpHandler> r : new LinkedHashMap<>(routes).entrySet()) {
      HttpContext ctx = server.createContext(r.getKey(), r.getValue());
      ctx.getFilters().add(guard);
    }
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.start();
    return new WebServer(server, executor);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops accepting, lets exchanges in flight finish for up to a second. */
  @Override
  public void close() {
    server.stop(1);
    executor.shutdown();
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

  /** Basic auth and configured headers, in front of every route. */
  private static final class GuardFilter extends Filter {
    private final BasicAuth auth;
    private final Map<String, String> headers;

    GuardFilter(BasicAuth auth, Map<String, String> headers) {
      this.auth = auth;
      this.headers = headers;
    }

    @Override
    public void doFilter(HttpExchange ex, Chain chain) throws IOException {
      headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
      if (auth.enabled() && !auth.check(ex.getRequestHeaders().getFirst("Authorization"))) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Basic");
        respond(ex, 401, "Unauthorized\n");
        return;
      }
      chain.doFilter(ex);
    }

    @Override
    public String description() {
      return "web config: basic auth and headers";
    }
  }
}
