package io.promsuite.pushgateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promsuite.exporter.common.testing.Poll;
import io.promsuite.exporter.common.testing.RealParts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's {@code prometheus-pushgateway}, started on a free loopback port for a test, with a
 * persistence file in a temporary directory so it can be stopped and started again with its groups.
 */
public final class RealPushgateway implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path binary;
  private final Path dir;
  private final int port;
  private final List<String> extraArgs;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Process process;

  private RealPushgateway(Path binary, Path dir, int port, List<String> extraArgs) {
    this.binary = binary;
    this.dir = dir;
    this.port = port;
    this.extraArgs = extraArgs;
  }

  /** Starts a gateway whose state lives in {@code dir}. */
  public static RealPushgateway start(Path dir, String... extraArgs) throws Exception {
    Path binary = RealParts.require("/usr/bin/prometheus-pushgateway", "prometheus-pushgateway");
    RealPushgateway g = new RealPushgateway(binary, dir, freePort(), List.of(extraArgs));
    g.startAgain();
    return g;
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Starts the process (again) on the same port and waits until it is ready. */
  public void startAgain() throws Exception {
    Files.createDirectories(dir);
    List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--web.listen-address=127.0.0.1:" + port,
        "--persistence.file=" + dir.resolve("pushgateway.data"), "--log.level=warn"));
    cmd.addAll(extraArgs);
    process = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("pushgateway.log").toFile())
        .start();
    Path log = dir.resolve("pushgateway.log");
    Poll.until(Duration.ofSeconds(30), "pushgateway on port " + port + " ready", () -> {
      if (!process.isAlive()) {
        throw Poll.abort("pushgateway exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      return extraArgs.isEmpty() ? get("/-/ready").statusCode() == 200 : listening();
    });
  }

  /** With TLS or auth the plain readiness probe cannot pass; a listening port has to do. */
  private boolean listening() {
    try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops the process with SIGTERM (it writes its persistence file) and waits for it. */
  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The groups of {@code /api/v1/metrics}. */
  public List<JsonNode> groups() throws IOException, InterruptedException {
    JsonNode root = JSON.readTree(get("/api/v1/metrics").body());
    List<JsonNode> groups = new ArrayList<>();
    root.path("data").forEach(groups::add);
    return groups;
  }

  /** The group whose labels are exactly {@code labels} (job included), or null. */
  public JsonNode group(Map<String, String> labels) throws IOException, InterruptedException {
    for (JsonNode g : groups()) {
      if (JSON.convertValue(g.path("labels"), Map.class).equals(labels)) {
        return g;
      }
    }
    return null;
  }

  /** The value of one metric family's only sample in a group, as the API gives it. */
  public static String value(JsonNode group, String metric) {
    JsonNode metrics = group.path(metric).path("metrics");
    if (metrics.size() != 1) {
      throw new AssertionError("expected one sample of " + metric + " in " + group);
    }
    return metrics.get(0).path("value").asText();
  }

  /** {@code pushgateway_http_requests_total{code,handler="push",method}} from the gateway's /metrics. */
  public long pushRequests(String code, String method) throws IOException, InterruptedException {
    Pattern p = Pattern.compile("pushgateway_http_requests_total\\{code=\"" + code
        + "\",handler=\"(push|delete)\",method=\"" + method + "\"} ([0-9.e+]+)");
    long total = 0;
    for (String line : get("/metrics").body().split("\n")) {
      Matcher m = p.matcher(line);
      if (m.matches()) {
        total += (long) Double.parseDouble(m.group(2));
      }
    }
    return total;
  }
}
