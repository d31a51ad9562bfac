package io.promsuite.exporter.common.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.core.metrics.Histogram;
import io.promsuite.exporter.common.Exporter;
import io.promsuite.exporter.common.collect.MetricSink;
import io.promsuite.exporter.common.collect.Prerendered;
import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Http;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The telemetry path's own text writer, with pre-rendered families, against client_java's formats. */
class ScrapeHandlerTest {
  private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0";

  /** A refresh's worth of data, rendered once. */
  private static Prerendered models(int n) {
    return Prerendered.render(sink -> {
      MetricSink.Family size = sink.gauge("demo_model_size_bytes", "Model size.", "model", "dataset");
      MetricSink.Family errors = sink.counter("demo_model_errors_total", "Errors.", "model");
      for (int i = 0; i < n; i++) {
        size.add(1000.5 + i, "m" + i, "d\"q\\" + i);
        errors.add(i, "m" + i);
      }
    });
  }

  private static Exporter.Builder demo(AtomicReference<Prerendered> current) {
    return Exporter.builder("demo-exporter", "demo")
        .defaultListenAddress("127.0.0.1:0")
        .collector("direct", true, "writes directly", f -> sink -> {
          // Declared label order z, a: exposed sorted, as client_java and client_golang sort them.
          sink.gauge("demo_temperature", "Temp with \\ and\nnewline.", "z", "a")
              .add(21.5, "zv", "av").add(Double.NaN, "z2", "a2").add(Double.POSITIVE_INFINITY, "z3", "a3");
          sink.counter("demo_requests_total", "Requests.").add(42);
          sink.info("demo_thing_info", "Thing.", "version").add(1, "1.2.3");
        })
        .collector("models", true, "pre-rendered", f -> sink -> sink.prerendered(current.get()))
        .setup(ctx -> Histogram.builder().name("demo_probe_seconds").help("Probe.").register(ctx.registry())
            .observe(0.25));
  }

  @Test
  void textMatchesOpenMetricsSampleForSampleWithPrerenderedFamilies() throws Exception {
    AtomicReference<Prerendered> current = new AtomicReference<>(models(50));
    // process_* figures move between the two scrapes compared.
    try (Exporter.Running r = demo(current).start("--web.disable-exporter-metrics")) {
      String base = "http://127.0.0.1:" + r.port() + "/metrics";
      HttpResponse<String> text = Http.get(base);
      assertEquals(200, text.statusCode());
      assertTrue(text.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
      String body = text.body();
      assertTrue(body.contains("demo_temperature{a=\"av\",z=\"zv\"} 21.5\n"), body);
      assertTrue(body.contains("demo_temperature{a=\"a2\",z=\"z2\"} NaN\n"), body);
      assertTrue(body.contains("demo_temperature{a=\"a3\",z=\"z3\"} +Inf\n"), body);
      assertTrue(body.contains("# HELP demo_temperature Temp with \\\\ and\\nnewline.\n"), body);
      assertTrue(body.contains("# TYPE demo_requests_total counter\ndemo_requests_total 42\n"), body);
      assertTrue(body.contains("demo_thing_info{version=\"1.2.3\"} 1\n"), body);
      assertTrue(body.contains("demo_model_size_bytes{dataset=\"d\\\"q\\\\7\",model=\"m7\"} 1007.5\n"), body);
      assertTrue(body.contains("demo_probe_seconds_bucket{le=\"+Inf\"} 1\n"), body);
      assertTrue(body.contains("demo_scrape_collector_success{collector=\"models\"} 1\n"), body);

      Exposition plain = Exposition.parse(body);
      Exposition om = Exposition.parse(Http.get(base, "Accept", OPENMETRICS).body());
      assertEquals(sorted(om), sorted(plain), "the text path and client_java's OpenMetrics writer expose the same samples");
      assertEquals(50, plain.samples("demo_model_size_bytes").size());
      assertEquals(50, plain.samples("demo_model_errors_total").size());
    }
  }

  @Test
  void gzipIsOneStreamOfMembersWithTheRightLength() throws Exception {
    AtomicReference<Prerendered> current = new AtomicReference<>(models(2000));
    try (Exporter.Running r = demo(current).start("--web.disable-exporter-metrics")) {
      String base = "http://127.0.0.1:" + r.port() + "/metrics";
      String plain = Http.get(base).body();
      HttpResponse<byte[]> gz = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base))
          .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
      assertEquals("gzip", gz.headers().firstValue("Content-Encoding").orElse(""));
      assertEquals(gz.body().length, gz.headers().firstValueAsLong("Content-Length").orElse(-1));
      String inflated = gunzip(gz.body());
      // Same text apart from the collector durations, which differ scrape to scrape.
      assertEquals(withoutDurations(plain), withoutDurations(inflated));
      assertEquals(2000, Exposition.parse(inflated).samples("demo_model_size_bytes").size());
      // A new refresh replaces what the next scrape serves.
      current.set(models(3));
      assertEquals(3, Exposition.parse(Http.get(base).body()).samples("demo_model_size_bytes").size());
    }
  }

  @Test
  void collectorWithBadLabelNameFailsAloneAndPrerenderedNameClashIsRejected() throws Exception {
    AtomicReference<Prerendered> current = new AtomicReference<>(models(1));
    Exporter.Builder b = demo(current)
        .collector("badlabel", true, "invalid label", f -> sink -> sink.gauge("demo_bad", "Bad.", "__reserved").add(1, "x"))
        .collector("clash", true, "same family twice", f -> sink -> {
          sink.prerendered(models(1));
          sink.gauge("demo_model_size_bytes", "Again.", "model", "dataset").add(1, "a", "b");
        });
    try (Exporter.Running r = b.start()) {
      Exposition e = Exposition.parse(Http.get("http://127.0.0.1:" + r.port() + "/metrics").body());
      assertEquals(0, e.value("demo_scrape_collector_success", Map.of("collector", "badlabel")));
      assertEquals(0, e.value("demo_scrape_collector_success", Map.of("collector", "clash")));
      assertEquals(1, e.value("demo_scrape_collector_success", Map.of("collector", "direct")));
      assertEquals(1, e.samples("demo_model_size_bytes").size(), "only the models collector's family is served");
    }
  }

  private static List<String> sorted(Exposition e) {
    List<String> out = new ArrayList<>();
    for (Exposition.Sample s : e.samples) {
      if (s.name().startsWith("demo_scrape_collector_duration") || s.name().endsWith("_created")) {
        continue;
      }
      out.add(s.name() + new java.util.TreeMap<>(s.labels()) + " " + s.value());
    }
    out.sort(null);
    return out;
  }

  private static String withoutDurations(String text) {
    return text.replaceAll("(?m)^demo_scrape_collector_duration_seconds\\{.*$", "");
  }

  private static String gunzip(byte[] gz) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir;

  /**
   * Nothing is collected at start. When the first request in is a scrape, a second thread
   * ("first-render") renders at once, while the scrape's bcrypt check runs: the scrape and one
   * arriving meanwhile are answered from that one collector run, and the next scrape runs the
   * collectors again.
   */
  @Test
  void aFirstScrapeStartsOneRenderWhileItsPasswordIsCheckedAndScrapesShareIt() throws Exception {
    java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    // Cost 12: the check takes long enough that the first render is surely under way before it ends.
    String hash = new String(at.favre.lib.crypto.bcrypt.BCrypt.withDefaults().hash(12, "pw".toCharArray()),
        StandardCharsets.UTF_8);
    java.nio.file.Path web = java.nio.file.Files.writeString(dir.resolve("web.yml"), "basic_auth_users:\n  u: " + hash + "\n");
    try (Exporter.Running r = counted(runs, release).start("--web.disable-exporter-metrics", "--web.config.file=" + web)) {
      String url = "http://127.0.0.1:" + r.port() + "/metrics";
      Thread.sleep(200);
      assertEquals(0, runs.get(), "nothing is collected before a request comes in");
      var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> body(url));
      io.promsuite.exporter.common.testing.Poll.until(java.time.Duration.ofSeconds(10), "the first run to start",
          () -> runs.get() == 1);
      assertTrue(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("first-render") && t.isAlive()),
          "the first scrape's render runs on the first-render thread");
      Thread.sleep(500); // sequencing only: the second scrape comes while the first run is held
      var second = java.util.concurrent.CompletableFuture.supplyAsync(() -> body(url));
      Thread.sleep(500);
      release.countDown();
      assertTrue(first.get(30, java.util.concurrent.TimeUnit.SECONDS).contains("\ndemo_run 1\n"));
      assertTrue(second.get(30, java.util.concurrent.TimeUnit.SECONDS).contains("\ndemo_run 1\n"));
      assertEquals(1, runs.get(), "one collector run for the first render and both scrapes");
      assertTrue(body(url).contains("\ndemo_run 2\n"));
      assertEquals(2, runs.get());
    }
  }

  /** A first scrape whose render has already started when the extra thread runs causes no second run. */
  @Test
  void aFirstScrapeWithoutPasswordCheckRunsTheCollectorsOnce() throws Exception {
    java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
    try (Exporter.Running r = counted(runs, new java.util.concurrent.CountDownLatch(0)).start("--web.disable-exporter-metrics")) {
      String url = "http://127.0.0.1:" + r.port() + "/metrics";
      assertTrue(body(url).contains("\ndemo_run 1\n"));
      Thread.sleep(500);
      assertEquals(1, runs.get(), "the first-render thread found a render started and did nothing");
    }
  }

  /** A first request that is not a scrape (a health check) renders nothing. */
  @Test
  void aFirstHealthCheckRendersNothing() throws Exception {
    java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(0);
    try (Exporter.Running r = counted(runs, release).start("--web.disable-exporter-metrics")) {
      String base = "http://127.0.0.1:" + r.port();
      assertEquals(200, Http.get(base + "/-/healthy").statusCode());
      Thread.sleep(500);
      assertEquals(0, runs.get());
      assertTrue(body(base + "/metrics").contains("\ndemo_run 1\n"));
      Thread.sleep(500);
      assertEquals(1, runs.get());
    }
  }

  private static Exporter.Builder counted(java.util.concurrent.atomic.AtomicInteger runs,
      java.util.concurrent.CountDownLatch release) {
    return Exporter.builder("demo-exporter", "demo")
        .defaultListenAddress("127.0.0.1:0")
        .collector("counted", true, "counts its runs", f -> sink -> {
          int n = runs.incrementAndGet();
          if (n == 1) {
            release.await();
          }
          sink.gauge("demo_run", "Which run of the collector this is.").add(n);
        });
  }

  private static String body(String url) {
    try {
      HttpResponse<String> response = Http.get(url, "Authorization",
          "Basic " + java.util.Base64.getEncoder().encodeToString("u:pw".getBytes(StandardCharsets.UTF_8)));
      assertEquals(200, response.statusCode(), url);
      return response.body();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
