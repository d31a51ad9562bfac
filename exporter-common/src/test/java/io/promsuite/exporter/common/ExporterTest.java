package io.promsuite.exporter.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.config.ConfigException;
import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Http;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ExporterTest {

  private static Exporter.Builder demo() {
    return Exporter.builder("demo-exporter", "demo")
        .defaultListenAddress("127.0.0.1:0")
        .collector("fine", true, "works", f -> sink -> sink.gauge("demo_fine", "Fine.", "k").add(1, "v"))
        .collector("boom", true, "throws", f -> sink -> {
          sink.gauge("demo_partial", "Written before the failure.").add(7);
          throw new IllegalStateException("broken on purpose");
        })
        .collector("hang", true, "never returns", f -> sink -> new CountDownLatch(1).await())
        .collector("off", false, "disabled by default", f -> sink -> sink.gauge("demo_off", "Off.").add(1));
  }

  @Test
  void hangingAndThrowingCollectorsDoNotBreakTheOthers() throws Exception {
    try (Exporter.Running r = demo().start()) {
      long t0 = System.nanoTime();
      HttpResponse<String> resp = Http.get("http://127.0.0.1:" + r.port() + "/metrics",
          "X-Prometheus-Scrape-Timeout-Seconds", "1.5");
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertEquals(200, resp.statusCode());
      Exposition e = Exposition.parse(resp.body());
      assertEquals(1, e.value("demo_fine", Map.of("k", "v")));
      assertEquals(1, e.value("demo_scrape_collector_success", Map.of("collector", "fine")));
      assertEquals(0, e.value("demo_scrape_collector_success", Map.of("collector", "boom")));
      assertEquals(0, e.value("demo_scrape_collector_success", Map.of("collector", "hang")));
      assertTrue(e.samples("demo_partial").isEmpty(), "a failed collector's partial output is dropped");
      assertTrue(e.samples("demo_off").isEmpty(), "disabled-by-default collector stays off");
      // Deadline = header 1.5 s - offset 0.5 s: the hang is cut at about 1 s, not the 10 s default.
      double hang = e.value("demo_scrape_collector_duration_seconds", Map.of("collector", "hang"));
      assertTrue(hang >= 0.9 && hang < 5, "hang cut at the deadline, was " + hang);
      assertTrue(seconds < 5, "scrape answered within the deadline, took " + seconds);
    }
  }

  @Test
  void collectorWithoutDataReportsItsOwnRunTimeNotTheWaitForOthers() throws Exception {
    Exporter.Builder b = Exporter.builder("demo-exporter", "demo").defaultListenAddress("127.0.0.1:0")
        .collector("slow", true, "takes 600 ms", f -> sink -> Thread.sleep(600))
        .collector("absent", true, "no such hardware", f -> sink -> {
          throw new io.promsuite.exporter.common.collect.NoDataException("no /proc/mdstat");
        });
    try (Exporter.Running r = b.start()) {
      Exposition e = Exposition.parse(Http.get("http://127.0.0.1:" + r.port() + "/metrics").body());
      assertEquals(0, e.value("demo_scrape_collector_success", Map.of("collector", "absent")));
      assertEquals(1, e.value("demo_scrape_collector_success", Map.of("collector", "slow")));
      // Read after "slow" finished; before, a failed collector was charged the scrape's wait so far.
      double absent = e.value("demo_scrape_collector_duration_seconds", Map.of("collector", "absent"));
      assertTrue(absent < 0.3, "absent took " + absent);
      assertTrue(e.value("demo_scrape_collector_duration_seconds", Map.of("collector", "slow")) >= 0.6);
    }
  }

  @Test
  void stuckCollectorIsNotStartedTwice() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Exporter.Builder b = Exporter.builder("demo-exporter", "demo").defaultListenAddress("127.0.0.1:0")
        .collector("stuck", true, "hangs", f -> sink -> {
          calls.incrementAndGet();
          // Ignores interrupts, like a blocked native call would.
          long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
          while (System.nanoTime() < end) {
            Thread.onSpinWait();
          }
        });
    try (Exporter.Running r = b.start("--scrape.timeout=300ms")) {
      for (int i = 0; i < 3; i++) {
        Exposition e = Exposition.parse(Http.get("http://127.0.0.1:" + r.port() + "/metrics").body());
        assertEquals(0, e.value("demo_scrape_collector_success", Map.of("collector", "stuck")));
      }
      assertEquals(1, calls.get());
    }
  }

  @Test
  void overlappingScrapesShareOneRunAndBothGetTheSeries() throws Exception {
    // Two Prometheus servers of an HA pair scraping at the same moment. "slow" stays in its run until
    // the second scrape has joined it: that scrape asks for collect[]=slow then collect[]=marker, and
    // the registry joins the collectors in that order, so "marker" running means the second scrape
    // has already found (or, wrongly, started) a run of "slow". No sleeps: only the order matters.
    AtomicInteger slowRuns = new AtomicInteger();
    CountDownLatch slowEntered = new CountDownLatch(1);
    CountDownLatch secondJoined = new CountDownLatch(1);
    Exporter.Builder b = Exporter.builder("demo-exporter", "demo").defaultListenAddress("127.0.0.1:0")
        .collector("slow", true, "waits for the second scrape", f -> sink -> {
          slowRuns.incrementAndGet();
          slowEntered.countDown();
          if (!secondJoined.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the second scrape never arrived");
          }
          sink.gauge("demo_slow", "Slow.").add(1);
        })
        .collector("marker", true, "runs once the second scrape has joined slow", f -> sink -> secondJoined.countDown());
    try (Exporter.Running r = b.start("--scrape.timeout=60s")) {
      String url = "http://127.0.0.1:" + r.port() + "/metrics";
      var first = CompletableFuture.supplyAsync(() -> body(url + "?collect[]=slow"));
      assertTrue(slowEntered.await(30, TimeUnit.SECONDS), "the first scrape started slow");
      var second = CompletableFuture.supplyAsync(() -> body(url + "?collect[]=slow&collect[]=marker"));
      for (String body : List.of(first.get(60, TimeUnit.SECONDS), second.get(60, TimeUnit.SECONDS))) {
        Exposition e = Exposition.parse(body);
        assertEquals(1, e.value("demo_slow", Map.of()), body);
        assertEquals(1, e.value("demo_scrape_collector_success", Map.of("collector", "slow")), body);
      }
      assertEquals(1, slowRuns.get(), "two overlapping scrapes, one run of the collector");
    }
  }

  private static String body(String url) {
    try {
      return Http.get(url).body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void collectorFlagsEnableAndDisable() throws Exception {
    try (Exporter.Running r = demo().start("--collector.off", "--no-collector.hang", "--no-collector.boom")) {
      Exposition e = Exposition.parse(Http.get("http://127.0.0.1:" + r.port() + "/metrics").body());
      assertEquals(1, e.value("demo_off", Map.of()));
      assertTrue(e.samples("demo_scrape_collector_success").stream()
          .noneMatch(s -> s.labels().get("collector").equals("hang")));
    }
  }

  @Test
  void collectQueryParameterSelectsCollectors() throws Exception {
    try (Exporter.Running r = demo().start()) {
      Exposition e = Exposition.parse(
          Http.get("http://127.0.0.1:" + r.port() + "/metrics?collect[]=fine").body());
      assertEquals(List.of("fine"), e.samples("demo_scrape_collector_success").stream()
          .map(s -> s.labels().get("collector")).toList());
    }
  }

  @Test
  void servesBuildInfoLandingPageHealthAndFormats() throws Exception {
    try (Exporter.Running r = demo().start("--no-collector.hang", "--web.telemetry-path=/m")) {
      String base = "http://127.0.0.1:" + r.port();
      Exposition e = Exposition.parse(Http.get(base + "/m").body());
      Exposition.Sample info = e.samples("demo_exporter_build_info").getFirst();
      assertEquals(1, info.value());
      assertEquals(List.of("branch", "javaversion", "revision", "version"), List.copyOf(info.labels().keySet()));
      assertEquals(System.getProperty("java.version"), info.labels().get("javaversion"));
      HttpResponse<String> landing = Http.get(base + "/");
      assertEquals(200, landing.statusCode());
      assertTrue(landing.body().contains("<a href=\"/m\">"), landing.body());
      assertEquals(404, Http.get(base + "/nope").statusCode());
      assertEquals(200, Http.get(base + "/-/healthy").statusCode());
      assertEquals(200, Http.get(base + "/-/ready").statusCode());
      HttpResponse<String> om = Http.get(base + "/m", "Accept", "application/openmetrics-text; version=1.0.0");
      assertTrue(om.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
      assertTrue(om.body().endsWith("# EOF\n"));
      HttpResponse<String> prometheus = Http.get(base + "/m", "Accept",
          "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,"
              + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2");
      assertTrue(prometheus.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
          "Prometheus' default Accept gets the text format, as from node_exporter");
      HttpResponse<String> pb = Http.get(base + "/m",
          "Accept", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited");
      assertTrue(pb.headers().firstValue("Content-Type").orElse("").contains("protobuf"));
    }
  }

  @Test
  void readyAnswers503WithTheSetupsReasonUntilItSaysReady() throws Exception {
    String[] notReady = {"the first read has not finished"};
    Exporter.Builder b = Exporter.builder("demo-exporter", "demo").defaultListenAddress("127.0.0.1:0")
        .setup(ctx -> ctx.readiness(() -> notReady[0]));
    try (Exporter.Running r = b.start()) {
      String base = "http://127.0.0.1:" + r.port();
      HttpResponse<String> waiting = Http.get(base + "/-/ready");
      assertEquals(503, waiting.statusCode());
      assertEquals("Not ready: the first read has not finished\n", waiting.body());
      assertEquals(200, Http.get(base + "/-/healthy").statusCode(), "alive while not ready");
      notReady[0] = null;
      assertEquals(200, Http.get(base + "/-/ready").statusCode());
    }
    try (Exporter.Running r = demo().start("--no-collector.hang")) {
      assertEquals(200, Http.get("http://127.0.0.1:" + r.port() + "/-/ready").statusCode(), "ready at once without a condition");
    }
  }

  @Test
  void failedReloadKeepsOldConfigAndSaysSo() throws Exception {
    AtomicInteger generation = new AtomicInteger(1);
    boolean[] broken = {false};
    Exporter.Builder b = Exporter.builder("demo-exporter", "demo").defaultListenAddress("127.0.0.1:0")
        .setup(ctx -> ctx.onReload(() -> {
          if (broken[0]) {
            throw new ConfigException(Path.of("demo.yml"), 3, 1, "modules.x", "broken on purpose", null);
          }
          generation.incrementAndGet();
        }));
    try (Exporter.Running r = b.start()) {
      String base = "http://127.0.0.1:" + r.port();
      assertEquals(405, Http.get(base + "/-/reload").statusCode());
      assertEquals(200, Http.post(base + "/-/reload", "").statusCode());
      assertEquals(2, generation.get());
      broken[0] = true;
      HttpResponse<String> failed = Http.post(base + "/-/reload", "");
      assertEquals(500, failed.statusCode());
      assertTrue(failed.body().contains("demo.yml:3:1: field \"modules.x\": broken on purpose"), failed.body());
      assertEquals(2, generation.get());
      Exposition e = Exposition.parse(Http.get(base + "/metrics").body());
      assertEquals(0, e.value("demo_config_last_reload_successful", Map.of()));
      broken[0] = false;
      assertTrue(r.reload());
      e = Exposition.parse(Http.get(base + "/metrics").body());
      assertEquals(1, e.value("demo_config_last_reload_successful", Map.of()));
    }
  }

  @Test
  void unknownCollectorFlagIsRejected() {
    var ex = org.junit.jupiter.api.Assertions.assertThrows(
        io.promsuite.exporter.common.cli.FlagException.class, () -> demo().start("--collector.nosuch"));
    assertTrue(ex.getMessage().contains("--collector.nosuch"), ex.getMessage());
    assertFalse(ex.getMessage().contains("Exception"));
  }

  @Test
  void resourcesHandedToTheFrameworkAreClosedOnStopLastFirstAndAtOnceOnAFailedStart() throws Exception {
    List<String> closed = new java.util.concurrent.CopyOnWriteArrayList<>();
    Exporter.Builder b = Exporter.builder("demo-exporter", "demo").defaultListenAddress("127.0.0.1:0")
        .setup(ctx -> {
          ctx.onClose(() -> closed.add("executor"));
          ctx.onClose(() -> closed.add("refresher"));
        });
    try (Exporter.Running r = b.start()) {
      assertEquals(List.of(), closed, "nothing closed while running");
    }
    assertEquals(List.of("refresher", "executor"), closed, "closed on stop, last handed first");

    closed.clear();
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Exporter.Builder failing = Exporter.builder("demo-exporter", "demo")
          .defaultListenAddress("127.0.0.1:" + taken.getLocalPort())
          .setup(ctx -> ctx.onClose(() -> closed.add("refresher")));
      Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, failing::start);
      assertTrue(e.getMessage().contains("cannot listen on"), e.getMessage());
    }
    assertEquals(List.of("refresher"), closed, "a start that fails after the setup closes what it was handed");
  }
}
