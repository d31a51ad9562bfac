package io.promsuite.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The kustomize base in packaging/k8s/base: its generated copies match their sources, every
 * resource exists and parses, workloads run unprivileged, and the scrape objects give the job
 * names the rules and dashboards use.
 */
class KubernetesManifestTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Map<String, Integer> PORTS = Map.of(
      "host-exporter", 9100, "container-exporter", 8080, "blackbox-exporter", 9115, "ml-model-exporter", 9101);

  @Test
  void generatedFilesMatchTheirSources() throws IOException {
    boolean regenerate = Boolean.getBoolean("promsuite.regenerate");
    List<String> stale = new ArrayList<>();
    for (var file : ManifestGenerator.generated().entrySet()) {
      Path path = Packaging.file(file.getKey());
      if (regenerate) {
        Packaging.write(path, file.getValue());
      } else if (!Files.exists(path) || !Files.readString(path).equals(file.getValue())) {
        stale.add(file.getKey());
      }
    }
    assertEquals(List.of(), stale, "out of date with their sources; run " + ManifestGenerator.REGENERATE);
  }

  /** Independent of the generator's text: what the operator will load equals what promtool checked. */
  @Test
  void prometheusRuleSpecsEqualTheRuleFiles() {
    Map<String, JsonNode> rules = new TreeMap<>();
    for (JsonNode object : objects()) {
      if (object.get("kind").asText().equals("PrometheusRule")) {
        rules.put(object.at("/metadata/name").asText(), object.get("spec"));
      }
    }
    assertEquals(List.of("promsuite-slo", "promsuite-suite"), List.copyOf(rules.keySet()));
    for (String name : List.of("slo", "suite")) {
      assertEquals(Packaging.yaml(Packaging.file("prometheus/rules/" + name + ".yml")), rules.get("promsuite-" + name),
          "k8s PrometheusRule promsuite-" + name + " differs from prometheus/rules/" + name + ".yml");
    }
  }

  @Test
  void kustomizationListsEveryManifestAndNothingMissing() throws IOException {
    JsonNode kustomization = Packaging.yaml(Packaging.file("k8s/base/kustomization.yaml"));
    List<String> listed = new ArrayList<>();
    kustomization.get("resources").forEach(r -> listed.add(r.asText()));
    List<String> present;
    try (var files = Files.list(Packaging.file("k8s/base"))) {
      present = files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")).sorted().toList();
    }
    assertEquals(present, listed.stream().sorted().toList(), "resources: in kustomization.yaml vs files in k8s/base");
    assertEquals("blackbox.yml", kustomization.at("/configMapGenerator/0/files/0").asText());
    Map<String, Integer> kinds = new TreeMap<>();
    for (JsonNode object : objects()) {
      assertTrue(object.hasNonNull("apiVersion") && object.at("/metadata/name").isTextual(), object.toString());
      kinds.merge(object.get("kind").asText(), 1, Integer::sum);
    }
    assertEquals(Map.of("DaemonSet", 2, "Deployment", 2, "Service", 4, "ServiceMonitor", 3, "Probe", 4,
        "PrometheusRule", 2), kinds);
    List<String> images = new ArrayList<>();
    kustomization.get("images").forEach(i -> images.add(i.get("name").asText()));
    assertEquals(PORTS.keySet().stream().map(e -> "promsuite/" + e).sorted().toList(), images.stream().sorted().toList());
  }

  @Test
  void workloadsRunUnprivilegedWithOnlyNetRawForBlackbox() {
    int workloads = 0;
    for (JsonNode object : objects()) {
      String kind = object.get("kind").asText();
      if (!kind.equals("DaemonSet") && !kind.equals("Deployment")) {
        continue;
      }
      workloads++;
      String name = object.at("/metadata/name").asText();
      JsonNode pod = object.at("/spec/template/spec");
      assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean(), name + ": runAsNonRoot");
      assertEquals("RuntimeDefault", pod.at("/securityContext/seccompProfile/type").asText(), name);
      JsonNode container = pod.at("/containers/0");
      assertEquals("promsuite/" + name, container.get("image").asText());
      JsonNode security = container.get("securityContext");
      assertEquals(false, security.get("allowPrivilegeEscalation").asBoolean(true), name);
      assertTrue(security.get("readOnlyRootFilesystem").asBoolean(), name);
      assertEquals("[\"ALL\"]", security.at("/capabilities/drop").toString(), name);
      assertEquals(name.equals("blackbox-exporter") ? "[\"NET_RAW\"]" : "", security.at("/capabilities/add").toString(), name);
      assertEquals(PORTS.get(name).intValue(), container.at("/ports/0/containerPort").asInt(), name);
      assertTrue(container.get("args").toString().contains("--web.listen-address=:" + PORTS.get(name)), name);
      assertEquals("/-/ready", container.at("/readinessProbe/httpGet/path").asText(), name);
      assertEquals("/-/healthy", container.at("/livenessProbe/httpGet/path").asText(), name);
    }
    assertEquals(4, workloads);
  }

  /** The operator names the job after the Service (ServiceMonitor) or jobName (Probe). */
  @Test
  void scrapeObjectsProduceTheJobNamesOfPrometheusYml() {
    List<String> prometheusJobs = new ArrayList<>();
    Packaging.yaml(Packaging.file("prometheus/prometheus.yml")).get("scrape_configs")
        .forEach(j -> prometheusJobs.add(j.get("job_name").asText()));
    Map<String, JsonNode> services = new TreeMap<>();
    List<String> jobs = new ArrayList<>();
    for (JsonNode object : objects()) {
      if (object.get("kind").asText().equals("Service")) {
        services.put(object.at("/metadata/name").asText(), object);
      }
    }
    for (JsonNode object : objects()) {
      switch (object.get("kind").asText()) {
        case "ServiceMonitor" -> {
          JsonNode selector = object.at("/spec/selector/matchLabels");
          JsonNode service = services.values().stream()
              .filter(s -> s.at("/metadata/labels").equals(selector)).findFirst()
              .orElseThrow(() -> new AssertionError(object.at("/metadata/name") + " selects no Service"));
          assertEquals(service.at("/spec/ports/0/name").asText(), object.at("/spec/endpoints/0/port").asText());
          jobs.add(service.at("/metadata/name").asText());
        }
        case "Probe" -> {
          jobs.add(object.at("/spec/jobName").asText());
          assertEquals("blackbox-exporter.monitoring.svc:9115", object.at("/spec/prober/url").asText());
        }
        default -> { }
      }
    }
    assertTrue(prometheusJobs.containsAll(jobs), "jobs " + jobs + " not all in prometheus.yml " + prometheusJobs);
    assertEquals(7, jobs.size(), jobs.toString());
  }

  private static List<JsonNode> objects() {
    List<JsonNode> objects = new ArrayList<>();
    JsonNode kustomization = Packaging.yaml(Packaging.file("k8s/base/kustomization.yaml"));
    for (JsonNode resource : kustomization.get("resources")) {
      Path file = Packaging.file("k8s/base/" + resource.asText());
      try (var parser = YAML.getFactory().createParser(file.toFile())) {
        YAML.readValues(parser, JsonNode.class).forEachRemaining(o -> {
          if (!o.isNull() && !o.isEmpty()) {
            objects.add(o);
          }
        });
      } catch (IOException e) {
        throw new UncheckedIOException("cannot parse " + file, e);
      }
    }
    return objects;
  }
}
