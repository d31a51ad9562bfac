package io.promsuite.exporter.blackbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;

/**
 * Real HTTP and HTTPS servers for the probe tests, on free loopback ports: one plain, and HTTPS
 * with a valid, an expired, a wrong-host and a self-signed certificate. Started once per JVM.
 */
final class TestServers {
  static final String BODY = "hello blackbox\n";
  static final String LAST_MODIFIED = "Wed, 21 Oct 2015 07:28:00 GMT";
  static final long LAST_MODIFIED_UNIX = 1445412480L;

  private static TestServers instance;

  final Path dir;
  final TestCerts certs;
  final HttpServer http;
  final HttpsServer httpsValid;
  final HttpsServer httpsExpired;
  final HttpsServer httpsWrongHost;
  final HttpsServer httpsSelfSigned;

  static synchronized TestServers get() throws Exception {
    if (instance == null) {
      instance = new TestServers();
      Runtime.getRuntime().addShutdownHook(new Thread(instance::stop));
    }
    return instance;
  }

  private TestServers() throws Exception {
    dir = Files.createTempDirectory("blackbox-test");
    certs = new TestCerts(dir);
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    routes(http);
    httpsValid = https(certs.valid.serverContext());
    httpsExpired = https(certs.expired.serverContext());
    httpsWrongHost = https(certs.wrongHost.serverContext());
    httpsSelfSigned = https(certs.selfSigned.serverContext());
  }

  private static HttpsServer https(SSLContext ctx) throws IOException {
    HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    s.setHttpsConfigurator(new HttpsConfigurator(ctx));
    routes(s);
    return s;
  }

  private static void routes(HttpServer s) {
    s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    s.createContext("/", TestServers::handle);
    s.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + http.getAddress().getPort() + path;
  }

  static String url(HttpsServer s, String path) {
    return "https://127.0.0.1:" + s.getAddress().getPort() + path;
  }

  private static void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    byte[] reqBody = ex.getRequestBody().readAllBytes();
    try {
      if (OAuthServer.handle(ex, path, reqBody)) {
        return;
      }
      if (path.startsWith("/status/")) {
        send(ex, Integer.parseInt(path.substring(8)), BODY);
      } else if (path.startsWith("/redirect/")) {
        int n = Integer.parseInt(path.substring(10));
        ex.getResponseHeaders().set("Location", n <= 1 ? "/ok" : "/redirect/" + (n - 1));
        send(ex, 302, "");
      } else if (path.equals("/to")) {
        ex.getResponseHeaders().set("Location", query(ex).get("url"));
        send(ex, 302, "");
      } else if (path.equals("/slow")) {
        Thread.sleep(Long.parseLong(query(ex).getOrDefault("ms", "300")));
        send(ex, 200, BODY);
      } else if (path.equals("/slowbody")) {
        ex.sendResponseHeaders(200, BODY.length());
        OutputStream out = ex.getResponseBody();
        out.write(BODY.substring(0, 5).getBytes(StandardCharsets.UTF_8));
        out.flush();
        Thread.sleep(300);
        out.write(BODY.substring(5).getBytes(StandardCharsets.UTF_8));
        ex.close();
      } else if (path.equals("/echo")) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String ua = ex.getRequestHeaders().getFirst("User-Agent");
        send(ex, 200, "method=" + ex.getRequestMethod() + "\nauthorization=" + auth + "\nuser-agent=" + ua
            + "\nx-custom=" + ex.getRequestHeaders().getFirst("X-Custom") + "\nbody=" + new String(reqBody, StandardCharsets.UTF_8) + "\n");
      } else if (path.equals("/br")) {
        byte[] br;
        try (var in = TestServers.class.getResourceAsStream("/brotli/body.txt.br")) {
          br = in.readAllBytes();
        }
        ex.getResponseHeaders().set("Content-Encoding", "br");
        ex.sendResponseHeaders(200, br.length);
        ex.getResponseBody().write(br);
        ex.close();
      } else if (path.equals("/gzip")) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
          gz.write(BODY.repeat(10).getBytes(StandardCharsets.UTF_8));
        }
        ex.getResponseHeaders().set("Content-Encoding", "gzip");
        ex.sendResponseHeaders(200, buf.size());
        ex.getResponseBody().write(buf.toByteArray());
        ex.close();
      } else {
        ex.getResponseHeaders().set("X-Probe", "yes");
        ex.getResponseHeaders().set("Last-Modified", LAST_MODIFIED);
        send(ex, 200, BODY);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ex.close();
    }
  }

  private static Map<String, String> query(HttpExchange ex) {
    return ProbeHandler.query(ex.getRequestURI().getRawQuery());
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      ex.getResponseBody().write(b);
    }
    ex.close();
  }

  void stop() {
    for (HttpServer s : new HttpServer[] {http, httpsValid, httpsExpired, httpsWrongHost, httpsSelfSigned}) {
      s.stop(0);
    }
  }
}
