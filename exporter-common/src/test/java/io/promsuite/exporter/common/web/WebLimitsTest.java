package io.promsuite.exporter.common.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.Exporter;
import io.promsuite.exporter.common.testing.Http;
import io.promsuite.exporter.common.testing.WebAbuse;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** --web.max-requests, the header deadline and the protocol checks, on an exporter started in-process. */
class WebLimitsTest {
  @Test
  void scrapePastMaxRequestsGets503AtOnceAndTheHeldOneStillAnswers() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (Exporter.Running r = Exporter.builder("t", "t").defaultListenAddress("127.0.0.1:0")
        .collector("slow", true, "waits", f -> sink -> {
          entered.countDown();
          release.await();
          sink.gauge("t_slow", "Slow.").add(1);
        })
        .start("--web.max-requests=1")) {
      String url = "http://127.0.0.1:" + r.port() + "/metrics";
      CompletableFuture<HttpResponse<String>> held = CompletableFuture.supplyAsync(() -> {
        try {
          return Http.get(url);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      assertTrue(entered.await(10, TimeUnit.SECONDS));
      HttpResponse<String> refused = Http.get(url);
      assertEquals(503, refused.statusCode());
      assertEquals("Limit of concurrent requests reached (1), try again later.\n", refused.body());
      assertEquals(200, Http.get("http://127.0.0.1:" + r.port() + "/-/healthy").statusCode(),
          "only the telemetry path is limited, as in node_exporter");
      release.countDown();
      HttpResponse<String> first = held.get(10, TimeUnit.SECONDS);
      assertEquals(200, first.statusCode());
      assertTrue(first.body().contains("t_slow 1"), first.body());
    }
  }

  @Test
  void negativeMaxRequestsIsAFlagError() {
    var e = org.junit.jupiter.api.Assertions.assertThrows(io.promsuite.exporter.common.cli.FlagException.class,
        () -> Exporter.builder("t", "t").defaultListenAddress("127.0.0.1:0").start("--web.max-requests=-1"));
    assertEquals("flag --web.max-requests must be 0 (no limit) or more, got -1", e.getMessage());
  }

  @Test
  void halfSentRequestIsClosedAfterTheHeaderDeadlineWhileOthersAreServed() throws Exception {
    try (Exporter.Running r = Exporter.builder("t", "t").defaultListenAddress("127.0.0.1:0")
        .start("--web.read-header-timeout=1s");
        Socket slow = new Socket("127.0.0.1", r.port())) {
      slow.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Never: en".getBytes(StandardCharsets.US_ASCII));
      assertEquals(200, Http.get("http://127.0.0.1:" + r.port() + "/-/healthy").statusCode());
      slow.setSoTimeout(10_000);
      long t0 = System.nanoTime();
      InputStream in = slow.getInputStream();
      int b;
      try {
        b = in.read();
      } catch (java.net.SocketException reset) {
        b = -1;
      }
      long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertEquals(-1, b, "closed without an answer");
      assertTrue(waited < 5000, "closed by the 1 s deadline, after " + waited + " ms");
    }
  }

  /**
   * A client that keeps the connection busy with a byte now and then never meets an idle timeout;
   * the header deadline counts from the connection's start, as Go's ReadHeaderTimeout does.
   */
  @Test
  void requestHeadTrickledByteByByteIsClosedAtTheHeaderDeadline() throws Exception {
    try (Exporter.Running r = Exporter.builder("t", "t").defaultListenAddress("127.0.0.1:0")
        .start("--web.read-header-timeout=1s");
        Socket slow = new Socket("127.0.0.1", r.port())) {
      byte[] head = "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
          .getBytes(StandardCharsets.US_ASCII);
      int sent = 0;
      try {
        // 250 ms a byte: 15 s for the whole head, far past the 1 s deadline.
        for (; sent < head.length; sent++) {
          slow.getOutputStream().write(head[sent]);
          slow.getOutputStream().flush();
          Thread.sleep(250);
        }
      } catch (java.io.IOException closedByServer) {
        // expected: the server closed the connection while the head was still coming
      }
      assertTrue(sent < head.length, "the connection was closed before the head was complete");
      assertEquals(200, Http.get("http://127.0.0.1:" + r.port() + "/-/healthy").statusCode());
    }
  }

  @Test
  void missingHostAndUnknownVersionAreRefusedLikeGo() throws Exception {
    try (Exporter.Running r = Exporter.builder("t", "t").defaultListenAddress("127.0.0.1:0").start()) {
      WebAbuse raw = new WebAbuse(new WebAbuse.Target("127.0.0.1", r.port(), false, null, null, 0), Duration.ZERO);
      assertEquals(400, raw.raw("GET /metrics HTTP/1.1\r\n\r\n", Duration.ofSeconds(5)).status());
      // Read to the end within the timeout: the connection is closed after the 505.
      assertEquals(505, raw.raw("GET /metrics HTTP/9.9\r\nHost: x\r\n\r\n", Duration.ofSeconds(5)).status());
      assertEquals(200, raw.raw("GET /metrics HTTP/1.0\r\n\r\n", Duration.ofSeconds(5)).status());
    }
  }
}
