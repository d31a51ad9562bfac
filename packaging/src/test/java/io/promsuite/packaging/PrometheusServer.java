package io.promsuite.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.promsuite.exporter.common.testing.RealParts;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A real Prometheus started on a loopback port with a given config file, and its HTTP API. */
final class PrometheusServer implements AutoCloseable {
  private final Daemon daemon;
  private final int port;

  private PrometheusServer(Daemon daemon, int port) {
    this.daemon = daemon;
    this.port = port;
  }

  /** Starts {@code prometheus} with the 30-day retention of the reference command line; waits for /-/ready. */
  static PrometheusServer start(String name, Path tmp, Path config, int port, String... extraFlags) {
    List<String> command = new java.util.ArrayList<>(List.of(RealParts.require("/usr/bin/prometheus").toString(),
        "--config.file=" + config, "--storage.tsdb.path=" + tmp.resolve(name + "-data"),
        "--storage.tsdb.retention.time=30d", "--web.listen-address=127.0.0.1:" + port));
    command.addAll(List.of(extraFlags));
    Daemon daemon = Daemon.start(name, tmp, command);
    PrometheusServer server = new PrometheusServer(daemon, port);
    Http.await(Duration.ofSeconds(60), name + " /-/ready", () -> {
      daemon.assertAlive();
      return Http.get(server.url("/-/ready")).status() == 200;
    });
    return server;
  }

  int port() {
    return port;
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  /** The "data" member of a successful API answer. */
  JsonNode api(String path) {
    Http.Response response = Http.get(url(path));
    assertEquals(200, response.status(), path + ": " + response.body());
    return Packaging.json(response.body()).get("data");
  }

  /** An instant query at the server's now. */
  JsonNode query(String promql) {
    return api("/api/v1/query?query=" + encode(promql));
  }

  static String encode(String promql) {
    return URLEncoder.encode(promql, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    daemon.close();
  }
}
