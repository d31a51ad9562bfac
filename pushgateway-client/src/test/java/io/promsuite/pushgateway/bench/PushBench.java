package io.promsuite.pushgateway.bench;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.promsuite.pushgateway.Format;
import io.promsuite.pushgateway.GroupingKey;
import io.promsuite.pushgateway.PushGateway;
import io.promsuite.pushgateway.RetryPolicy;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Benchmark driver for bench/pushgateway-client/run.sh: writes the bench's exposition text for curl
 * and times pushes of the same metrics through the library (one kept-alive client).
 *
 * <p>{@code PushBench write DIR} writes large.prom (10,000 series) and small.prom (10 series);
 * {@code PushBench push URL large|small FORMAT WARMUP COUNT} prints "ms_per_push=..." for COUNT
 * sequential PUTs after WARMUP untimed ones, and the time of the very first push of the JVM;
 * {@code PushBench serialise large|small FORMAT WARMUP COUNT} times scrape + serialisation alone.
 */
public final class PushBench {

  private PushBench() {}

  static PrometheusRegistry registry(int families, int seriesPerFamily) {
    PrometheusRegistry r = new PrometheusRegistry();
    for (int f = 0; f < families; f++) {
      Gauge g = Gauge.builder().name("bench_metric_" + f).help("Bench metric " + f).labelNames("series")
          .register(r);
      for (int s = 0; s < seriesPerFamily; s++) {
        g.labelValues("s" + s).set(f * 1_000_000.0 + s + 0.25);
      }
    }
    return r;
  }

  static PrometheusRegistry large() {
    return registry(10, 1000);
  }

  static PrometheusRegistry small() {
    return registry(10, 1);
  }

  public static void main(String[] args) throws Exception {
    if (args[0].equals("write")) {
      Path dir = Path.of(args[1]);
      write(dir.resolve("large.prom"), large());
      write(dir.resolve("small.prom"), small());
      return;
    }
    if (args[0].equals("serialise")) {
      serialise(args[1].equals("large") ? large() : small(), Format.valueOf(args[2]),
          Integer.parseInt(args[3]), Integer.parseInt(args[4]));
      return;
    }
    String url = args[1];
    boolean isLarge = args[2].equals("large");
    Format format = Format.valueOf(args[3]);
    int warmup = Integer.parseInt(args[4]);
    int count = Integer.parseInt(args[5]);
    PrometheusRegistry registry = isLarge ? large() : small();
    GroupingKey key = GroupingKey.of("bench_java_" + args[2] + "_" + format.name().toLowerCase());
    try (PushGateway gw = PushGateway.builder(url).format(format).retryPolicy(RetryPolicy.NONE).build()) {
      long first = System.nanoTime();
      gw.push(key, registry);
      first = System.nanoTime() - first;
      for (int i = 1; i < warmup; i++) {
        gw.push(key, registry);
      }
      long[] ns = new long[count];
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        long t = System.nanoTime();
        gw.push(key, registry);
        ns[i] = System.nanoTime() - t;
      }
      long total = System.nanoTime() - start;
      Arrays.sort(ns);
      System.out.printf("ms_per_push=%.3f median_ms=%.3f p90_ms=%.3f first_push_ms=%.3f%n", total / 1e6 / count,
          ns[count / 2] / 1e6, ns[(int) (count * 0.9)] / 1e6, first / 1e6);
    }
  }

  /** Time of scrape + serialisation alone, the client's share of a push. */
  private static void serialise(PrometheusRegistry registry, Format format, int warmup, int count)
      throws Exception {
    io.prometheus.metrics.expositionformats.ExpositionFormatWriter writer = format == Format.PROMETHEUS_PROTOBUF
        ? new io.prometheus.metrics.expositionformats.PrometheusProtobufWriter()
        : PrometheusTextFormatWriter.create();
    long bytes = 0;
    for (int i = 0; i < warmup; i++) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      writer.write(out, registry.scrape());
      bytes = out.size();
    }
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      writer.write(new java.io.ByteArrayOutputStream(8192), registry.scrape());
    }
    System.out.printf("ms_per_serialise=%.3f bytes=%d%n", (System.nanoTime() - start) / 1e6 / count, bytes);
  }

  private static void write(Path file, PrometheusRegistry registry) throws Exception {
    try (OutputStream out = Files.newOutputStream(file)) {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    }
  }
}
