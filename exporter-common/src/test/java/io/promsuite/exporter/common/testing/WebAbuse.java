package io.promsuite.exporter.common.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import io.promsuite.exporter.common.tls.TrustAll;

/**
 * Abuse a web server the way issue 13 found ours falling over, from the attacker's side: many
 * concurrent scrapes, many half-sent requests, many half-sent TLS handshakes, each held open while
 * a normal scrape and {@code /-/healthy} are timed. Used by the tests against real exporters and
 * by bench/web-abuse (the same run against node_exporter).
 */
public final class WebAbuse {
  /** Where to aim: loopback port, TLS or not, credentials for the normal requests. */
  public record Target(String host, int port, boolean tls, String user, String password, long pid) {
    String authorization() {
      return user == null ? null : "Basic " + Base64.getEncoder()
          .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A normal scrape and /-/healthy: status (-1: no answer within 2 s) and time. */
  public record Check(int scrapeStatus, long scrapeMillis, int healthyStatus, long healthyMillis) {
    public boolean ok() {
      return scrapeStatus == 200 && scrapeMillis < 2000 && healthyStatus == 200 && healthyMillis < 2000;
    }

    @Override
    public String toString() {
      return "scrape=" + scrapeStatus + " in " + scrapeMillis + " ms, healthy=" + healthyStatus + " in " + healthyMillis + " ms";
    }
  }

  /**
   * What one round did: answers to the abusive connections (status codes, error kinds), how many
   * held connections the server closed, checks while the abuse was held and after it, RSS.
   */
  public record Round(String name, int count, Map<String, Integer> answers, int closedByServer,
      Check during, Check after, long rssBeforeKib, long rssAfterKib, long rssPeakKib) {
    public String line() {
      return String.format("%-22s n=%d answers=%s closed_by_server=%d during: %s; after: %s; "
              + "rss_kib before=%d after=%d peak=%d", name, count, answers, closedByServer, during, after,
          rssBeforeKib, rssAfterKib, rssPeakKib);
    }
  }

  private final Target target;
  private final Duration hold;

  public WebAbuse(Target target, Duration hold) {
    this.target = target;
    this.hold = hold;
  }

  /** {@code n} scrapes of {@code path} released at once; counts the status codes (or error kinds). */
  public Round concurrentScrapes(int n, String path) throws Exception {
    long before = rss();
    Map<String, Integer> answers = new ConcurrentHashMap<>();
    CountDownLatch go = new CountDownLatch(1);
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        all.add(pool.submit(() -> {
          String result;
          try {
            go.await();
            result = Integer.toString(request(path, Duration.ofSeconds(30)).status());
          } catch (Exception e) {
            result = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
          }
          answers.merge(result, 1, Integer::sum);
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : all) {
        f.get();
      }
    }
    Check after = check();
    return new Round("concurrent scrapes", n, new TreeMap<>(answers), 0, after, after, before, rss(), peak());
  }

  /** {@code n} connections that send a request line and half the headers, then nothing. */
  public Round halfSentRequests(int n) throws Exception {
    byte[] half = ("GET /metrics HTTP/1.1\r\nHost: " + target.host() + "\r\nUser-Agent: slow\r\nX-Pad: ")
        .getBytes(StandardCharsets.US_ASCII);
    return held("half-sent requests", n, half);
  }

  /** {@code n} connections that send the first half of a real TLS ClientHello, then nothing. */
  public Round halfSentHandshakes(int n) throws Exception {
    byte[] hello = clientHello();
    byte[] half = java.util.Arrays.copyOf(hello, hello.length / 2);
    return held("half-sent handshakes", n, half);
  }

  private Round held(String name, int n, byte[] first) throws Exception {
    long before = rss();
    List<Socket> sockets = new ArrayList<>(n);
    Map<String, Integer> answers = new TreeMap<>();
    try {
      for (int i = 0; i < n; i++) {
        Socket s = new Socket();
        try {
          s.connect(new InetSocketAddress(target.host(), target.port()), 2000);
          s.getOutputStream().write(first);
          s.getOutputStream().flush();
          sockets.add(s);
          answers.merge("sent", 1, Integer::sum);
        } catch (IOException e) {
          answers.merge(e.getClass().getSimpleName(), 1, Integer::sum);
          s.close();
        }
      }
      // The abuse stays in place while the normal requests are made, then for the hold.
      Check during = check();
      Thread.sleep(hold.toMillis());
      int closed = 0;
      for (Socket s : sockets) {
        if (closedByPeer(s)) {
          closed++;
        }
      }
      long peak = peak();
      for (Socket s : sockets) {
        s.close();
      }
      Thread.sleep(200);
      return new Round(name, n, answers, closed, during, check(), before, rss(), Math.max(peak, peak()));
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  /** A normal scrape and /-/healthy, each with 2 s to answer. */
  public Check check() {
    long t0 = System.nanoTime();
    int scrape = status("/metrics");
    long scrapeMs = (System.nanoTime() - t0) / 1_000_000;
    t0 = System.nanoTime();
    int healthy = status("/-/healthy");
    long healthyMs = (System.nanoTime() - t0) / 1_000_000;
    return new Check(scrape, scrapeMs, healthy, healthyMs);
  }

  private int status(String path) {
    try {
      return request(path, Duration.ofSeconds(2)).status();
    } catch (Exception e) {
      return -1;
    }
  }

  private static boolean closedByPeer(Socket s) {
    try {
      s.setSoTimeout(1);
      InputStream in = s.getInputStream();
      byte[] buf = new byte[4096];
      while (true) {
        int r = in.read(buf);
        if (r < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  /** A status line and the body's length; one request per connection. */
  public record Response(int status, int bodyBytes) {}

  /** One HTTP/1.1 request with {@code Connection: close}; raw so nothing is pooled or retried. */
  public Response request(String path, Duration timeout) throws Exception {
    return raw("GET " + path + " HTTP/1.1\r\nHost: " + target.host() + ":" + target.port() + "\r\n"
        + (target.authorization() == null ? "" : "Authorization: " + target.authorization() + "\r\n")
        + "Connection: close\r\n\r\n", timeout);
  }

  /** Sends {@code request} as it is (for malformed requests) and reads the whole answer. */
  public Response raw(String request, Duration timeout) throws Exception {
    try (Socket s = open(timeout)) {
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      byte[] all = s.getInputStream().readAllBytes();
      String head = new String(all, 0, Math.min(all.length, 64), StandardCharsets.ISO_8859_1);
      if (!head.startsWith("HTTP/1.")) {
        throw new IOException("no HTTP answer: '" + head + "'");
      }
      int status = Integer.parseInt(head.substring(9, 12));
      return new Response(status, all.length);
    }
  }

  private Socket open(Duration timeout) throws Exception {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(target.host(), target.port()), (int) timeout.toMillis());
    s.setSoTimeout((int) timeout.toMillis());
    if (!target.tls()) {
      return s;
    }
    SSLSocket ssl = (SSLSocket) trustAll().getSocketFactory().createSocket(s, target.host(), target.port(), true);
    ssl.startHandshake();
    return ssl;
  }

  private static SSLContext trustAll() throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new javax.net.ssl.TrustManager[] {new TrustAll()}, null);
    return ctx;
  }

  private byte[] clientHello() throws Exception {
    SSLEngine engine = trustAll().createSSLEngine(target.host(), target.port());
    engine.setUseClientMode(true);
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.wrap(ByteBuffer.allocate(0), out);
    out.flip();
    byte[] b = new byte[out.remaining()];
    out.get(b);
    return b;
  }

  private long rss() {
    return procStatus("VmRSS:");
  }

  private long peak() {
    return procStatus("VmHWM:");
  }

  private long procStatus(String field) {
    if (target.pid() <= 0) {
      return -1;
    }
    try {
      for (String l : Files.readAllLines(Path.of("/proc", Long.toString(target.pid()), "status"))) {
        if (l.startsWith(field)) {
          return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /**
   * For bench/web-abuse: {@code WebAbuse host port tls(true|false) pid n hold-seconds [user password]};
   * prints one line per round: concurrent scrapes, then half-sent requests (plain) or half-sent
   * handshakes (TLS).
   */
  public static void main(String[] args) throws Exception {
    Target t = new Target(args[0], Integer.parseInt(args[1]), Boolean.parseBoolean(args[2]),
        args.length > 6 ? args[6] : null, args.length > 7 ? args[7] : null, Long.parseLong(args[3]));
    int n = Integer.parseInt(args[4]);
    WebAbuse abuse = new WebAbuse(t, Duration.ofSeconds(Long.parseLong(args[5])));
    System.out.println(abuse.concurrentScrapes(n, "/metrics").line());
    System.out.println((t.tls() ? abuse.halfSentHandshakes(n) : abuse.halfSentRequests(n)).line());
    System.out.println("after all rounds: " + abuse.check() + "; rss_kib=" + abuse.rss() + " peak=" + abuse.peak());
  }
}
