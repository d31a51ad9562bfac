package io.promsuite.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promsuite.exporter.common.testing.RealParts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compose.yaml: accepted by docker-compose, and consistent with the reference files: every host
 * prometheus.yml scrapes is a service listening on that port, every exporter runs its image of
 * this version, and every path the configurations name is mounted from the file in this directory.
 */
class ComposeFileTest {
  private static final Set<String> STACK = Set.of("prometheus", "alertmanager", "pushgateway",
      "host-exporter", "container-exporter", "blackbox-exporter", "ml-model-exporter", "ml-demo-models");
  /** The one host prometheus.yml scrapes that the stack does not run: the user's own service. */
  private static final Set<String> OUTSIDE = Set.of("inference-gateway");

  private final JsonNode compose = Packaging.yaml(Packaging.file("compose.yaml"));
  private final JsonNode services = compose.get("services");

  @Test
  void dockerComposeAcceptsTheFileAndRejectsAMisspeltKey(@TempDir Path dir) throws Exception {
    String dockerCompose = RealParts.require("docker-compose").toString();
    Run config = Run.of(Packaging.dir(), dockerCompose, "--file", "compose.yaml", "config").assertSuccess();
    JsonNode resolved = Packaging.yaml(config.output());
    assertEquals(new TreeSet<>(STACK), names(resolved.get("services")));
    assertEquals("promsuite/host-exporter:" + ShippedExporter.version(),
        resolved.at("/services/host-exporter/image").asText(), "image with the default version filled in");

    // The same file with one key misspelt: docker-compose must refuse it, so the check above means something.
    Path broken = Files.writeString(dir.resolve("compose.yaml"),
        Packaging.rewrite(Packaging.read(Packaging.file("compose.yaml")), "    read_only: true\n", "    read_olny: true\n"));
    Run refused = Run.of(dir, dockerCompose, "--file", broken.toString(), "config");
    assertNotEquals(0, refused.exitCode(), refused.output());
    assertTrue(refused.output().contains("read_olny"), refused.output());
  }

  @Test
  void everyHostPrometheusScrapesIsAServiceListeningOnThatPort() {
    JsonNode prometheus = Packaging.yaml(Packaging.file("prometheus/prometheus.yml"));
    List<String> addresses = new ArrayList<>();
    prometheus.at("/alerting/alertmanagers").forEach(am -> am.at("/static_configs/0/targets").forEach(t -> addresses.add(t.asText())));
    for (JsonNode job : prometheus.get("scrape_configs")) {
      boolean probe = "/probe".equals(job.path("metrics_path").asText());
      if (probe) {
        job.get("relabel_configs").forEach(r -> {
          if ("__address__".equals(r.path("target_label").asText())) {
            addresses.add(r.get("replacement").asText());
          }
        });
      } else {
        job.at("/static_configs/0/targets").forEach(t -> addresses.add(t.asText()));
      }
    }
    Set<String> outside = new TreeSet<>();
    for (String address : addresses) {
      String host = address.substring(0, address.lastIndexOf(':'));
      int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
      String service = host.equals("localhost") ? "prometheus" : host;
      if (!services.has(service)) {
        outside.add(host);
        continue;
      }
      assertTrue(containerPorts(service).contains(port), service + " does not publish " + port + " for " + address);
      for (String arg : command(service)) {
        if (arg.startsWith("--web.listen-address=")) {
          assertEquals(":" + port, arg.substring(arg.indexOf('=') + 1), service + " listens elsewhere than " + address);
        }
      }
    }
    assertEquals(OUTSIDE, outside, "hosts prometheus.yml scrapes that compose.yaml does not run");
  }

  @Test
  void exportersRunTheirImagesOfThisVersionOnTheirPortsHardened() {
    for (ShippedExporter exporter : ShippedExporter.values()) {
      JsonNode service = services.get(exporter.module);
      assertTrue(service != null, "no service " + exporter.module);
      assertEquals("promsuite/" + exporter.module + ":${PROMSUITE_VERSION:-" + ShippedExporter.version() + "}",
          service.get("image").asText(), exporter.module);
      assertEquals(List.of(exporter.port), containerPorts(exporter.module), exporter.module);
      assertTrue(command(exporter.module).contains("--web.listen-address=:" + exporter.port), exporter.module);
      assertTrue(service.path("read_only").asBoolean(), exporter.module + ": read_only");
      assertEquals("[\"ALL\"]", service.path("cap_drop").toString(), exporter.module + ": cap_drop");
      assertEquals("[\"/tmp\"]", service.path("tmpfs").toString(), exporter.module + ": tmpfs for the JVM's CDS archive");
    }
    assertTrue(command("prometheus").contains("--storage.tsdb.retention.time=30d"), "30 days of retention");
  }

  @Test
  void everyPathTheConfigurationsNameIsMountedFromThisDirectory() {
    // --config.file of every service is a reference file of this directory, mounted read-only.
    Map<String, String> configFiles = new TreeMap<>();
    for (String service : names(services)) {
      for (String arg : command(service)) {
        if (arg.startsWith("--config.file=")) {
          String target = arg.substring(arg.indexOf('=') + 1);
          String source = mountSource(service, target);
          assertTrue(Files.isRegularFile(Packaging.file(source)), service + ": " + source + " is not a file of packaging/");
          configFiles.put(service, source);
        }
      }
    }
    assertEquals(Map.of("prometheus", "./prometheus/prometheus.yml", "alertmanager", "./alertmanager/alertmanager.yml",
        "blackbox-exporter", "./blackbox/blackbox.yml", "ml-model-exporter", "./ml-model-exporter/ml-model-exporter.yml"), configFiles);

    // Paths inside those files, relative to them or absolute.
    assertEquals("./prometheus/rules", mountSource("prometheus", "/etc/prometheus/rules"), "rule_files: rules/*.yml");
    assertEquals("./alertmanager/templates", mountSource("alertmanager", "/etc/alertmanager/templates"), "templates/*.tmpl");
    String alertmanager = Packaging.read(Packaging.file("alertmanager/alertmanager.yml"));
    int secrets = 0;
    for (String line : alertmanager.lines().toList()) {
      if (line.trim().matches("^-? ?[a-z_]+_file: .*") && !line.trim().startsWith("#")) {
        String path = line.substring(line.indexOf(": ") + 2).trim();
        assertTrue(path.startsWith("/etc/alertmanager/secrets/"), "a secret outside the mounted directory: " + line);
        secrets++;
      }
    }
    assertEquals(5, secrets, "secret files of alertmanager.yml");
    assertEquals("./alertmanager/secrets", mountSource("alertmanager", "/etc/alertmanager/secrets"));
    JsonNode ml = Packaging.yaml(Packaging.file("ml-model-exporter/ml-model-exporter.yml"));
    String store = ml.at("/sources/0/path").asText();
    assertEquals("${ML_MODELS_DIR:-ml-demo-models}", mountSource("ml-model-exporter", store),
        "the local model store: the demo store's volume unless ML_MODELS_DIR is set");
    assertEquals("./ml-model-exporter/demo-models", mountSource("ml-demo-models", "/opt/demo-models"));
    assertTrue(Files.isExecutable(Packaging.file("ml-model-exporter/demo-models")));
    assertEquals("service_completed_successfully",
        services.at("/ml-model-exporter/depends_on/ml-demo-models/condition").asText(), "the store is written before the exporter reads it");
  }

  /** The host side of the volume of {@code service} mounted at {@code target}. */
  private String mountSource(String service, String target) {
    for (JsonNode volume : services.get(service).path("volumes")) {
      // source:target[:options], where the source may be ${VAR:-default} with colons of its own.
      List<String> parts = new ArrayList<>(List.of(volume.asText().split(":")));
      String options = parts.getLast().startsWith("/") ? "" : parts.removeLast();
      String mountedAt = parts.removeLast();
      if (mountedAt.equals(target)) {
        assertTrue(options.startsWith("ro"), service + ": " + volume.asText() + " must be read-only");
        return String.join(":", parts);
      }
    }
    throw new AssertionError(service + " mounts nothing at " + target);
  }

  private List<Integer> containerPorts(String service) {
    List<Integer> ports = new ArrayList<>();
    for (JsonNode port : services.get(service).path("ports")) {
      String text = port.asText();
      assertTrue(text.startsWith("127.0.0.1:"), service + " publishes " + text + " beyond loopback");
      ports.add(Integer.parseInt(text.substring(text.lastIndexOf(':') + 1)));
    }
    return ports;
  }

  private List<String> command(String service) {
    List<String> args = new ArrayList<>();
    services.get(service).path("command").forEach(a -> args.add(a.asText()));
    return args;
  }

  private static Set<String> names(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
