package io.promsuite.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promsuite.exporter.common.testing.Command;
import io.promsuite.exporter.common.testing.DockerDaemon;
import io.promsuite.exporter.common.testing.RealParts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OCI images: each exporter's Dockerfile (images/Dockerfile as the package phase fills it in)
 * built by a private dockerd on a stand-in for eclipse-temurin:25-jre made here (a jlinked JDK 25,
 * src/test/images/standin-base.sh), because CI cannot reach a registry. Each container runs as its
 * compose.yaml service says, but with the host's network on a free port: as a non-root user, it
 * serves /metrics and turns healthy through the image's own HEALTHCHECK command.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageIT {
  static final String BASE = "promsuite-ci/temurin-standin:25-jre";
  private static final String NON_ROOT = "65534";

  private DockerDaemon engine;

  static List<ShippedExporter> exporters() {
    return ShippedExporter.all();
  }

  static String image(ShippedExporter exporter) {
    return "promsuite/" + exporter.module + ":" + ShippedExporter.version();
  }

  @BeforeAll
  void buildImages() throws Exception {
    for (String program : List.of("bash", "busybox", "ldd", "tar")) {
      RealParts.require(program);
    }
    Path base = ShippedExporter.out().resolve("ci/standin-base.tar");
    Files.createDirectories(base.getParent());
    List<String> command = new ArrayList<>(List.of(Packaging.file("src/test/images/standin-base.sh").toString(), base.toString()));
    for (ShippedExporter exporter : exporters()) {
      command.add(ShippedExporter.out().resolve("install").resolve(exporter.module).toString());
    }
    // The runtime (jdeps + jlink, the slow part) is made while the daemon starts.
    Path log = ShippedExporter.out().resolve("ci/standin-base.log");
    Process standin = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
        .directory(ShippedExporter.out().toFile()).start();
    try {
      engine = DockerDaemon.start();
    } finally {
      if (standin.waitFor() != 0) {
        throw new AssertionError("standin-base.sh exited " + standin.exitValue() + ":\n" + Files.readString(log));
      }
    }
    engine.docker("import", "--change", "ENV JAVA_HOME=/opt/java/openjdk",
        "--change", "ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        base.toString(), BASE);
    for (ShippedExporter exporter : exporters()) {
      // No network: the class-data training run in the Dockerfile talks to itself on loopback.
      engine.docker("build", "--quiet", "--network", "none", "--build-arg", "BASE=" + BASE, "--tag", image(exporter),
          ShippedExporter.out().resolve("images").resolve(exporter.module).toString());
    }
  }

  @AfterAll
  void stopEngine() {
    if (engine != null) {
      engine.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exporters")
  void imageDeclaresNonRootUserPortHealthcheckAndOciLabels(ShippedExporter exporter) {
    JsonNode config = Packaging.json(engine.docker("image", "inspect", image(exporter))).get(0).get("Config");
    assertEquals(NON_ROOT + ":" + NON_ROOT, config.get("User").asText(), "USER");
    assertEquals(List.of(exporter.port + "/tcp"), fieldNames(config.get("ExposedPorts")), "EXPOSE");
    assertEquals("[\"CMD\",\"/usr/local/bin/promsuite-healthcheck\",\"" + exporter.port + "\"]",
        config.get("Healthcheck").get("Test").toString(), "HEALTHCHECK");
    assertEquals("[\"/opt/promsuite/" + exporter.module + "/bin/" + exporter.module + "\"]",
        config.get("Entrypoint").toString(), "ENTRYPOINT");
    JsonNode labels = config.get("Labels");
    assertEquals(exporter.module, labels.get("org.opencontainers.image.title").asText());
    assertEquals(ShippedExporter.version(), labels.get("org.opencontainers.image.version").asText());
    assertEquals(BASE, labels.get("org.opencontainers.image.base.name").asText());
    for (String label : List.of("description", "source", "documentation", "vendor", "url")) {
      assertTrue(labels.hasNonNull("org.opencontainers.image." + label), "no org.opencontainers.image." + label + " label");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exporters")
  void containerRunsAsNonRootServesMetricsAndTurnsHealthy(ShippedExporter exporter) throws IOException {
    int port = Http.freePort();
    String name = "it-" + exporter.module;
    runAsComposeSays(exporter, name, port, List.of(
        // The image's own healthcheck command, run every 2 s instead of 30 s.
        "--health-interval=2s", "--health-start-period=120s"), List.of());
    try {
      String url = "http://127.0.0.1:" + port + "/metrics";
      Http.await(Duration.ofSeconds(90), () -> url + " to answer; container log:\n" + engine.tryDocker("logs", name).output(),
          () -> Http.get(url).status() == 200);
      String metrics = ExporterChecks.assertServes(exporter, "http://127.0.0.1:" + port);

      // The JVM itself (the launcher execs it) runs as nobody (65534), seen from the host.
      long pid = Long.parseLong(engine.docker("inspect", "--format", "{{.State.Pid}}", name));
      String status = Files.readString(Path.of("/proc/" + pid + "/status"));
      assertEquals(List.of(NON_ROOT, NON_ROOT, NON_ROOT, NON_ROOT), ids(status, "Uid"), "uids of the container's process");
      assertEquals(List.of(NON_ROOT, NON_ROOT, NON_ROOT, NON_ROOT), ids(status, "Gid"), "gids of the container's process");
      assertTrue(Files.readString(Path.of("/proc/" + pid + "/cmdline")).contains("/opt/promsuite/" + exporter.module + "/lib/"),
          "PID " + pid + " is not the exporter's JVM");

      Http.await(Duration.ofSeconds(90), () -> name + " to turn healthy: "
          + engine.tryDocker("inspect", "--format", "{{json .State.Health}}", name).output(),
          () -> engine.docker("inspect", "--format", "{{.State.Health.Status}}", name).equals("healthy"));

      if (exporter == ShippedExporter.CONTAINER) {
        // It sees the engine and lists the containers running there, itself included.
        Http.await(Duration.ofSeconds(60), () -> "container-exporter to report its own container:\n" + Http.get(url).body(),
            () -> {
              String text = Http.get(url).body();
              return Pattern.compile("(?m)^container_exporter_docker_up 1(\\.0)?$").matcher(text).find()
                  && text.contains("name=\"" + name + "\"");
            });
      }
      if (exporter == ShippedExporter.ML_MODEL) {
        // The demo store the init container wrote, read through the read-only mount: every seed family.
        Http.await(Duration.ofSeconds(60), () -> "the demo store mounted at /var/lib/promsuite/models:\n" + Http.get(url).body(),
            () -> Pattern.compile("(?m)^ml_model_size_bytes\\{model=\"fraud-detector\"} (46137344|4\\.6137344E7)(\\.0)?$")
                .matcher(Http.get(url).body()).find());
        String text = Http.get(url).body();
        for (String family : List.of("ml_model_age_seconds", "ml_model_size_bytes", "ml_training_dataset_size",
            "ml_training_dataset_last_updated", "ml_model_accuracy", "ml_model_f1_score")) {
          assertTrue(Pattern.compile("(?m)^" + family + "\\{[^}]*model=\"image-classifier\"").matcher(text).find(),
              family + " in:\n" + text);
        }
      }
      if (exporter == ShippedExporter.HOST) {
        JsonNode mounts = Packaging.json(engine.docker("inspect", "--format", "{{json .Mounts}}", name));
        List<String> readOnly = new ArrayList<>();
        mounts.forEach(m -> readOnly.add(m.get("Source").asText() + ":" + m.get("Destination").asText() + ":" + (m.get("RW").asBoolean() ? "rw" : "ro")));
        assertEquals(List.of("/:/host/root:ro", "/proc:/host/proc:ro", "/sys:/host/sys:ro"), readOnly.stream().sorted().toList(),
            "host mounts");
        // Read through the mounted /proc: the host's boot time.
        Matcher btime = Pattern.compile("(?m)^btime (\\d+)$").matcher(Files.readString(Path.of("/proc/stat")));
        assertTrue(btime.find());
        Matcher boot = Pattern.compile("(?m)^node_boot_time_seconds (\\S+)$").matcher(metrics);
        assertTrue(boot.find(), "no node_boot_time_seconds in:\n" + metrics);
        assertEquals(Double.parseDouble(btime.group(1)), Double.parseDouble(boot.group(1)), 0.0,
            "node_boot_time_seconds must be the host's btime");
      }
    } finally {
      engine.tryDocker("rm", "--force", name);
    }
  }

  /**
   * With a web config turning on TLS and basic auth (mounted read-only) and {@code -Xshare:on}, so
   * the class-data archive the image build made must be usable (else the JVM refuses to start): the
   * right credentials get the families over HTTPS, anybody else 401.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("exporters")
  void containerServesHttpsWithBasicAuthAndItsOwnClassDataArchive(ShippedExporter exporter) throws Exception {
    TlsAuth web = TlsAuth.create(Files.createDirectories(engine.scratch("tls-" + exporter.module)));
    int port = Http.freePort();
    String name = "it-tls-" + exporter.module;
    runAsComposeSays(exporter, name, port,
        List.of("--env", "JAVA_OPTS=-Xshare:on", "--volume", web.dir + ":/etc/promsuite-web:ro"),
        List.of("--web.config.file=/etc/promsuite-web/web-config.yml"));
    try {
      String base = "https://127.0.0.1:" + port;
      Http.await(Duration.ofSeconds(90), () -> base + " to answer; container log:\n" + engine.tryDocker("logs", name).output(),
          () -> web.get(base + "/-/healthy").status() == 200);
      web.assertServesOnlyTheUser(exporter, base);
    } finally {
      engine.tryDocker("rm", "--force", name);
    }
  }

  /**
   * Runs the image detached as its compose.yaml service says (command, mounts, groups, read-only
   * root, no capabilities), with this engine's socket for the Docker socket and the demo model store
   * (written by compose.yaml's ml-demo-models service), but on the host network and {@code port}.
   */
  private void runAsComposeSays(ShippedExporter exporter, String name, int port, List<String> options, List<String> args)
      throws IOException {
    List<String> run = new ArrayList<>(List.of("run", "--detach", "--name", name, "--network", "host"));
    run.addAll(options);
    Path models = engine.scratch("models-" + name);
    Files.createDirectories(models);
    if (exporter == ShippedExporter.ML_MODEL) {
      // compose.yaml's ml-demo-models service first, in this image: it writes the demo store.
      ComposeService init = ComposeService.of("ml-demo-models");
      List<String> write = new ArrayList<>(List.of("run", "--rm", "--network", "none"));
      write.addAll(init.runOptions(Map.of("ml-demo-models", models.toString())));
      write.add(image(exporter));
      write.addAll(init.entrypointArguments());
      engine.docker(write.toArray(String[]::new));
    }
    int socketGroup = (Integer) Files.getAttribute(engine.socket(), "unix:gid");
    ComposeService service = ComposeService.of(exporter.module);
    run.addAll(service.runOptions(Map.of(
        "/var/run/docker.sock", engine.socket().toString(),
        "${DOCKER_GID:-999}", String.valueOf(socketGroup),
        "${ML_MODELS_DIR:-ml-demo-models}", models.toString())));
    run.add(image(exporter));
    run.addAll(service.command("127.0.0.1:" + port));
    run.addAll(args);
    engine.docker(run.toArray(String[]::new));
  }

  @Test
  void healthcheckFailsWhenTheExporterDoesNotAnswer() {
    ShippedExporter exporter = ShippedExporter.HOST;
    // No network: nothing listens on 127.0.0.1:9100 inside, and no exporter JVM runs to follow.
    Command.Result check = engine.tryDocker("run", "--rm", "--network", "none", "--entrypoint", "/usr/local/bin/promsuite-healthcheck",
        image(exporter), String.valueOf(exporter.port));
    assertNotEquals(0, check.exit(), "the healthcheck passed with nothing listening:\n" + check.output());
    assertTrue(check.output().contains("Connection refused"), check.output());
  }

  private static List<String> ids(String status, String field) {
    Matcher m = Pattern.compile("(?m)^" + field + ":\\s+(.*)$").matcher(status);
    assertTrue(m.find(), field + " missing in /proc/<pid>/status");
    return List.of(m.group(1).trim().split("\\s+"));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
