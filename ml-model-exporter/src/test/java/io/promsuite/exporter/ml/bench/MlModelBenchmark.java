package io.promsuite.exporter.ml.bench;

import io.promsuite.exporter.common.testing.Poll;
import io.promsuite.exporter.common.testing.Ports;
import io.promsuite.exporter.common.testing.RealProcess;
import io.promsuite.exporter.ml.config.SourceConfig;
import io.promsuite.exporter.ml.config.SourceFactory;
import io.promsuite.exporter.ml.source.S3Store;
import io.promsuite.exporter.ml.testing.ModelTree;
import io.promsuite.exporter.ml.testing.Parallel;
import io.promsuite.exporter.ml.testing.RequestCounter;
import io.promsuite.exporter.ml.testing.S3MockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * bench/ml-model-exporter/run.sh: refresh cost of 1,000 models x 5 versions on a real S3-compatible
 * server (S3Mock), requests counted with an SDK interceptor, and the scrape latency of the real
 * launcher serving those 1,000 models. Prints one line per measurement. Bounded: fixed counts, loopback only.
 */
public final class MlModelBenchmark {
  private static final int MODELS = Integer.getInteger("bench.models", 1000);
  private static final int VERSIONS = Integer.getInteger("bench.versions", 5);
  private static final int SCRAPES = Integer.getInteger("bench.scrapes", 1000);

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("ml-bench");
    Path launcher = Path.of(args.length > 0 ? args[0] : "ml-model-exporter/target/bin/ml-model-exporter");
    // Scrape latency first: it needs seconds, the S3 part needs minutes (S3Mock reads its whole
    // bucket index on every request, so its cost per request grows with the number of objects).
    scrape(launcher, work);
    if (!Boolean.parseBoolean(System.getProperty("bench.s3", "true"))) {
      return;
    }
    try (S3MockServer s3mock = S3MockServer.start(work, "bench")) {
      RequestCounter counter = new RequestCounter();
      SourceConfig config = new SourceConfig("bench", "s3", null, "bench", "models", "us-east-1", s3mock.endpoint(), true, null,
          3, null, null, null, null, null, null, Duration.ofSeconds(30));
      SourceFactory factory = new SourceFactory(List.of(counter));
      long t0 = System.nanoTime();
      try (S3Client s3 = factory.s3Client(config)) {
        upload(s3);
      }
      System.out.printf("upload: %d objects in %.1f s%n", MODELS * VERSIONS * 2, (System.nanoTime() - t0) / 1e9);

      try (S3Store store = new S3Store("bench", factory.s3Client(config), "bench", "models")) {
        counter.reset();
        t0 = System.nanoTime();
        int models = store.read().size();
        System.out.printf("refresh cold: %d models in %.3f s, requests: %s%n", models, (System.nanoTime() - t0) / 1e9, counter);
        double[] warm = new double[3];
        long warmGets = 0;
        long warmLists = 0;
        for (int i = 0; i < warm.length; i++) {
          counter.reset();
          t0 = System.nanoTime();
          store.read();
          warm[i] = (System.nanoTime() - t0) / 1e9;
          warmGets += counter.attempts("GetObject") + counter.attempts("HeadObject");
          warmLists += counter.attempts("ListObjectsV2");
        }
        Arrays.sort(warm);
        System.out.printf("refresh unchanged (3 runs): median %.3f s, min %.3f s, max %.3f s; per refresh %d ListObjectsV2, "
            + "%d GetObject/HeadObject in total%n", warm[1], warm[0], warm[2], warmLists / warm.length, warmGets);
        if (warmGets != 0) {
          throw new AssertionError("an unchanged store must not be read object by object");
        }
        try (S3Client s3 = factory.s3Client(config)) {
          for (int m = 0; m < 10; m++) {
            put(s3, "models/" + name(m * 97) + "/" + VERSIONS + "/metadata.json", metadata(m * 97, 2));
          }
        }
        counter.reset();
        t0 = System.nanoTime();
        store.read();
        System.out.printf("refresh after 10 metadata changes: %.3f s, requests: %s%n", (System.nanoTime() - t0) / 1e9, counter);
      }
    }
  }

  /** utime + stime of a process, in clock ticks, from /proc/PID/stat. */
  private static long cpuTicks(long pid) throws java.io.IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  private static String name(int m) {
    return String.format("model-%04d", m);
  }

  private static String metadata(int m, int generation) {
    return "{\"stage\": \"production\", \"training_dataset\": {\"size\": " + (10_000 + m) + ", \"last_updated\": "
        + (1_714_000_000 + generation) + "}, \"evaluation\": {\"validation\": {\"accuracy\": 0.9, \"f1\": 0.88, "
        + "\"auc\": 0.95}, \"test\": {\"accuracy\": 0.89}}}";
  }

  private static void put(S3Client s3, String key, String body) {
    s3.putObject(PutObjectRequest.builder().bucket("bench").key(key).build(), RequestBody.fromString(body));
  }

  private static void upload(S3Client s3) throws Exception {
    String artifact = "w".repeat(1024);
    Parallel.forEach(MODELS * VERSIONS, 16, i -> {
      String prefix = "models/" + name(i / VERSIONS) + "/" + (i % VERSIONS + 1) + "/";
      put(s3, prefix + "model.bin", artifact);
      put(s3, prefix + "metadata.json", metadata(i / VERSIONS, 1));
    });
  }

  /**
   * Starts the real launcher on a local store of the same shape and times {@code SCRAPES}
   * sequential scrapes (scrapes read memory only, so the source type does not matter).
   */
  private static void scrape(Path launcher, Path work) throws Exception {
    ModelTree tree = new ModelTree(work.resolve("models"));
    for (int m = 0; m < MODELS; m++) {
      for (int v = 1; v <= VERSIONS; v++) {
        tree.version(name(m), Integer.toString(v), 1024, metadata(m, 1));
      }
    }
    int port = Ports.free();
    List<String> cmd = List.of(launcher.toString(), "--store.local.path=" + tree.root(),
        "--web.listen-address=127.0.0.1:" + port, "--log.level=warn");
    try (RealProcess exporter = RealProcess.start(cmd, work.resolve("exporter.log"))
        .awaitHttp("http://127.0.0.1:" + port + "/-/ready", Duration.ofSeconds(60))) {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
          .header("Accept", "text/plain;version=0.0.4").build();
      String loaded = "ml_model_exporter_source_models{source=\"local\"} " + MODELS;
      String body;
      try {
        body = Poll.until(Duration.ofSeconds(120), loaded, () -> http.send(req, HttpResponse.BodyHandlers.ofString()).body(),
            b -> b.contains(loaded), b -> "(not shown)");
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "; exporter log:\n" + exporter.output(), e);
      }
      for (int i = 0; i < 200; i++) {
        http.send(req, HttpResponse.BodyHandlers.ofString());
      }
      double[] ms = new double[SCRAPES];
      long bytes = 0;
      long cpuBefore = cpuTicks(exporter.pid());
      for (int i = 0; i < SCRAPES; i++) {
        long t0 = System.nanoTime();
        bytes = http.send(req, HttpResponse.BodyHandlers.ofByteArray()).body().length;
        ms[i] = (System.nanoTime() - t0) / 1e6;
      }
      double cpuMsPerScrape = (cpuTicks(exporter.pid()) - cpuBefore) * 10.0 / SCRAPES; // USER_HZ = 100
      Arrays.sort(ms);
      long samples = body.lines().filter(l -> !l.startsWith("#")).count();
      System.out.printf("scrape (%d models, %d samples, %d bytes, %d sequential scrapes): p50 %.2f ms, p90 %.2f ms, "
          + "p99 %.2f ms, max %.2f ms; exporter CPU %.2f ms/scrape%n", MODELS, samples, bytes, SCRAPES, ms[SCRAPES / 2],
          ms[SCRAPES * 9 / 10], ms[SCRAPES * 99 / 100], ms[SCRAPES - 1], cpuMsPerScrape);
      String rss = Files.readAllLines(Path.of("/proc/" + exporter.pid() + "/status")).stream()
          .filter(l -> l.startsWith("VmRSS")).findFirst().orElse("VmRSS: ?");
      System.out.println("exporter " + rss.replaceAll("\\s+", " "));
    }
  }
}
