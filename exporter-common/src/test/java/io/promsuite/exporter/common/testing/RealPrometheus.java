package io.promsuite.exporter.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** Debian's real Prometheus server, started on a free loopback port with a given config. */
public final class RealPrometheus implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final RealProcess process;
  private final String base;

  private RealPrometheus(RealProcess process, String base) {
    this.process = process;
    this.base = base;
  }

  /** Starts prometheus with {@code configYaml} written to {@code dir}/prometheus.yml. */
  public static RealPrometheus start(Path dir, String configYaml) throws Exception {
    Path bin = RealParts.require("/usr/bin/prometheus");
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, configYaml);
    int port = Ports.free();
    RealProcess p = RealProcess.start(List.of(bin.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
        "--web.enable-lifecycle"), dir.resolve("prometheus.log"));
    String base = "http://127.0.0.1:" + port;
    p.awaitHttp(base + "/-/ready", Duration.ofSeconds(60));
    return new RealPrometheus(p, base);
  }

  public String url() {
    return base;
  }

  public String output() {
    return process.output();
  }

  /** Instant query; returns {@code data.result}. */
  public JsonNode query(String promql) throws Exception {
    String body = Http.get(base + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).body();
    JsonNode root = JSON.readTree(body);
    if (!"success".equals(root.path("status").asText())) {
      throw new IllegalStateException("query " + promql + " failed: " + body);
    }
    return root.path("data").path("result");
  }

  /** Polls {@code promql} until {@code done} accepts its result; fails with the last result. */
  public JsonNode awaitQuery(String promql, Predicate<JsonNode> done, Duration timeout) throws Exception {
    try {
      return Poll.until(timeout, "query " + promql + " to be satisfied", () -> query(promql), done);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\nprometheus log tail:\n" + tail(process.output()), e);
    }
  }

  private static String tail(String s) {
    return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
  }

  @Override
  public void close() {
    process.close();
  }
}
