package io.promsuite.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promsuite.exporter.common.testing.RealParts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * packaging/prometheus/prometheus.yml and its rules running in the real Prometheus, every target
 * pointed at loopback: the Debian node_exporter, Pushgateway, blackbox_exporter (with
 * packaging/blackbox/blackbox.yml), Alertmanager (packaging/alertmanager) and dnsmasq, plus small
 * HTTP stand-ins for the inference gateway and for our container and ML exporters (built
 * elsewhere in the suite). Closing it stops every process it started.
 */
final class ReferenceStack implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(60);

  private final List<AutoCloseable> running = new ArrayList<>();
  private final long started = System.currentTimeMillis();
  private PrometheusServer prometheus;
  private PrometheusServer remoteWriteReceiver;
  private LoopbackHttp remoteWriteSink;
  private int alertmanagerPort;

  private ReferenceStack() {}

  /** Starts everything; on a failure what was started is stopped again. */
  static ReferenceStack start(Path tmp) {
    ReferenceStack stack = new ReferenceStack();
    try {
      stack.startAll(tmp);
      return stack;
    } catch (RuntimeException | Error e) {
      stack.close();
      throw e;
    }
  }

  private void startAll(Path tmp) {
    RealParts.require("/usr/bin/prometheus").toString();
    int nodePort = Http.freePort();
    running.add(waitReady("node_exporter", nodePort, Daemon.start("node-exporter", tmp, List.of(
        RealParts.require("/usr/bin/prometheus-node-exporter").toString(), "--web.listen-address=127.0.0.1:" + nodePort))));
    int pushgatewayPort = Http.freePort();
    running.add(waitReady("pushgateway", pushgatewayPort, Daemon.start("pushgateway", tmp, List.of(
        RealParts.require("/usr/bin/prometheus-pushgateway").toString(), "--web.listen-address=127.0.0.1:" + pushgatewayPort))));
    int blackboxPort = Http.freePort();
    running.add(waitReady("blackbox_exporter", blackboxPort, Daemon.start("blackbox-exporter", tmp, List.of(
        RealParts.require("/usr/bin/prometheus-blackbox-exporter").toString(), "--config.file=" + Packaging.file("blackbox/blackbox.yml"),
        "--web.listen-address=127.0.0.1:" + blackboxPort))));
    alertmanagerPort = Http.freePort();
    running.add(waitReady("alertmanager", alertmanagerPort, Daemon.start("alertmanager", tmp, List.of(
        RealParts.require("/usr/bin/prometheus-alertmanager").toString(), "--config.file=" + Packaging.file("alertmanager/alertmanager.yml"),
        "--storage.path=" + tmp.resolve("alertmanager-data"), "--cluster.listen-address=",
        "--web.listen-address=127.0.0.1:" + alertmanagerPort))));
    // The resolver the DNS module asks for the gateway's name.
    int dnsPort = Http.freePort();
    Daemon dnsmasq = Daemon.start("dnsmasq", tmp, List.of(RealParts.require("/usr/sbin/dnsmasq").toString(), "--keep-in-foreground",
        "--conf-file=/dev/null", "--pid-file=", "--no-resolv", "--no-hosts", "--bind-interfaces",
        "--listen-address=127.0.0.1", "--port=" + dnsPort, "--log-facility=-",
        "--address=/inference-gateway.promsuite.internal/127.0.0.1"));
    running.add(dnsmasq);

    // Stand-ins: 100 good and 1 failed request a second, a container at 95 % of its limit, a model
    // 8 days old (stale) whose data is an hour old.
    LoopbackHttp gateway = new LoopbackHttp()
        .serve("/health", () -> "ok").serve("/ready", () -> "ok")
        .serve("/metrics", () -> {
          double seconds = (System.currentTimeMillis() - started) / 1000.0;
          return """
              # TYPE http_requests_total counter
              http_requests_total{status="200"} %s
              http_requests_total{status="500"} %s
              """.formatted(100 * seconds, seconds);
        });
    running.add(gateway);
    LoopbackHttp containers = new LoopbackHttp().serve("/metrics", () -> """
        # TYPE container_memory_working_set_bytes gauge
        container_memory_working_set_bytes{id="/docker/abc",image="gw:1",name="inference-gateway"} 9.5e+08
        # TYPE container_spec_memory_limit_bytes gauge
        container_spec_memory_limit_bytes{id="/docker/abc",image="gw:1",name="inference-gateway"} 1e+09
        """);
    running.add(containers);
    LoopbackHttp ml = new LoopbackHttp().serve("/metrics", () -> """
        # TYPE ml_model_age_seconds gauge
        ml_model_age_seconds{model="resnet50"} %d
        # TYPE ml_training_dataset_last_updated gauge
        ml_training_dataset_last_updated{model="resnet50"} %d
        """.formatted(8 * 86400, System.currentTimeMillis() / 1000 - 3600));
    running.add(ml);

    // A nightly job that last succeeded 2 days ago, pushed the way batch jobs push.
    Http.Response pushed = Http.put("http://127.0.0.1:" + pushgatewayPort + "/metrics/job/nightly-training",
        "text/plain", """
            # TYPE nightly_training_last_success_timestamp_seconds gauge
            nightly_training_last_success_timestamp_seconds %d
            """.formatted(System.currentTimeMillis() / 1000 - 2 * 86400));
    assertEquals(200, pushed.status(), pushed.body());

    // Remote write examples enabled: VictoriaMetrics' URL goes to a Prometheus accepting remote
    // write, Thanos' and Mimir's to a recording HTTP sink.
    Path emptyConfig = Packaging.write(tmp.resolve("receiver.yml"), "scrape_configs: []\n");
    remoteWriteReceiver = PrometheusServer.start("remote-write-receiver", tmp, emptyConfig, Http.freePort(),
        "--web.enable-remote-write-receiver");
    running.add(remoteWriteReceiver);
    remoteWriteSink = new LoopbackHttp();
    running.add(remoteWriteSink);
    Path password = Packaging.write(tmp.resolve("victoriametrics-password"), "remote-write-password");

    int prometheusPort = Http.freePort();
    String config = Packaging.withRemoteWriteExamples(Packaging.read(Packaging.file("prometheus/prometheus.yml")));
    Map<String, String> loopback = new TreeMap<>(Map.of(
        "'localhost:9090'", "'127.0.0.1:" + prometheusPort + "'",
        "'alertmanager:9093'", "'127.0.0.1:" + alertmanagerPort + "'",
        "'host-exporter:9100'", "'127.0.0.1:" + nodePort + "'",
        "'container-exporter:8080'", "'" + containers.address() + "'",
        "'ml-model-exporter:9101'", "'" + ml.address() + "'",
        "'pushgateway:9091'", "'127.0.0.1:" + pushgatewayPort + "'",
        "http://inference-gateway:8000/", "http://" + gateway.address() + "/",
        "'inference-gateway:8000'", "'" + gateway.address() + "'",
        "replacement: blackbox-exporter:9115", "replacement: 127.0.0.1:" + blackboxPort,
        "'dns-resolver:53'", "'127.0.0.1:" + dnsPort + "'"));
    loopback.put("['inference-gateway']", "['127.0.0.1']");
    loopback.put("http://thanos-receive:19291/", "http://" + remoteWriteSink.address() + "/");
    loopback.put("http://mimir:9009/", "http://" + remoteWriteSink.address() + "/");
    loopback.put("http://victoriametrics:8428/", remoteWriteReceiver.url("/"));
    loopback.put("/etc/prometheus/secrets/victoriametrics-password", password.toString());
    // Scrape every 5 s instead of 15 s only so the rates have two samples sooner; the rule groups
    // keep their own intervals.
    loopback.put("  scrape_interval: 15s\n", "  scrape_interval: 5s\n");
    loopback.put("  scrape_timeout: 10s\n", "  scrape_timeout: 4s\n");
    loopback.put("  - rules/*.yml", "  - " + Packaging.file("prometheus/rules") + "/*.yml");
    for (var rewrite : loopback.entrySet()) {
      config = Packaging.rewrite(config, rewrite.getKey(), rewrite.getValue());
    }
    assertEverythingPointsAtLoopback(config);
    Path file = Packaging.write(tmp.resolve("prometheus.yml"), config);
    Run.of(tmp, RealParts.require("/usr/bin/promtool").toString(), "check", "config", file.toString()).assertSuccess();

    prometheus = PrometheusServer.start("prometheus", tmp, file, prometheusPort);
    running.add(prometheus);
    dnsmasq.assertAlive();
  }


  PrometheusServer prometheus() {
    return prometheus;
  }

  /** The Prometheus standing in for VictoriaMetrics in the remote write examples. */
  PrometheusServer remoteWriteReceiver() {
    return remoteWriteReceiver;
  }

  /** Where the Thanos and Mimir remote write examples send. */
  LoopbackHttp remoteWriteSink() {
    return remoteWriteSink;
  }

  int alertmanagerPort() {
    return alertmanagerPort;
  }

  @Override
  public void close() {
    for (AutoCloseable c : running.reversed()) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot stop " + c, e);
      }
    }
    running.clear();
  }

  private static Daemon waitReady(String name, int port, Daemon daemon) {
    Http.await(STARTUP, name + " on :" + port, () -> {
      daemon.assertAlive();
      return Http.get("http://127.0.0.1:" + port + "/metrics").status() == 200;
    });
    return daemon;
  }

  /** Every scrape address left in the rewritten file is on loopback: nothing was left unwired. */
  private static void assertEverythingPointsAtLoopback(String config) {
    JsonNode root = Packaging.yaml(config);
    List<String> addresses = new ArrayList<>();
    root.at("/alerting/alertmanagers").forEach(am -> am.get("static_configs")
        .forEach(sc -> sc.get("targets").forEach(t -> addresses.add(t.asText()))));
    root.path("remote_write").forEach(rw -> addresses.add(rw.get("url").asText()));
    for (JsonNode job : root.get("scrape_configs")) {
      job.path("static_configs").forEach(sc -> sc.get("targets").forEach(t -> addresses.add(t.asText())));
      job.path("relabel_configs").forEach(r -> {
        if (r.path("target_label").asText().equals("__address__")) {
          addresses.add(r.get("replacement").asText());
        }
      });
    }
    assertEquals(20, addresses.size(), addresses.toString());
    for (String address : addresses) {
      assertTrue(address.matches("(http://)?127\\.0\\.0\\.1(:\\d+)?(/.*)?"), "not rewired to loopback: " + address);
    }
  }

}
