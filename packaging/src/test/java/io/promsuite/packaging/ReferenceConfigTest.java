package io.promsuite.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** prometheus.yml says what ARCHITECTURE.md and the conventions say: intervals, jobs, ports, labels. */
class ReferenceConfigTest {
  private final JsonNode config = Packaging.yaml(Packaging.file("prometheus/prometheus.yml"));

  private JsonNode job(String name) {
    for (JsonNode job : config.get("scrape_configs")) {
      if (job.get("job_name").asText().equals(name)) {
        return job;
      }
    }
    throw new AssertionError("no job " + name + " in prometheus.yml");
  }

  @Test
  void scrapesAndEvaluatesEvery15SecondsAndKeeps30DaysOnTheCommandLine() {
    assertEquals("15s", config.at("/global/scrape_interval").asText());
    assertEquals("15s", config.at("/global/evaluation_interval").asText());
    assertTrue(Packaging.read(Packaging.file("prometheus/prometheus.yml")).contains("--storage.tsdb.retention.time=30d"));
    assertEquals("[\"rules/*.yml\"]", config.get("rule_files").toString());
    assertEquals("[\"alertmanager:9093\"]", config.at("/alerting/alertmanagers/0/static_configs/0/targets").toString());
  }

  @Test
  void everyExporterOfTheSuiteIsAJobOnItsDefaultPort() {
    Map<String, String> targets = new TreeMap<>();
    for (String name : List.of("prometheus", "alertmanager", "host-exporter", "container-exporter", "ml-model-exporter",
        "pushgateway", "inference-gateway")) {
      targets.put(name, job(name).at("/static_configs/0/targets/0").asText());
    }
    assertEquals(Map.of("prometheus", "localhost:9090", "alertmanager", "alertmanager:9093",
        "host-exporter", "host-exporter:9100", "container-exporter", "container-exporter:8080",
        "ml-model-exporter", "ml-model-exporter:9101", "pushgateway", "pushgateway:9091",
        "inference-gateway", "inference-gateway:8000"), targets);
    assertTrue(job("pushgateway").get("honor_labels").asBoolean(), "pushgateway needs honor_labels: true");
  }

  /** The relabelling of CONVENTIONS.md for each module job: target -> param, param -> instance, exporter -> address. */
  @Test
  void blackboxJobsUseTheStandardRelabellingForEachModule() {
    Map<String, String> modules = new TreeMap<>();
    for (String name : List.of("blackbox-http", "blackbox-tcp", "blackbox-dns", "blackbox-icmp")) {
      JsonNode job = job(name);
      assertEquals("/probe", job.get("metrics_path").asText(), name);
      modules.put(name, job.at("/params/module/0").asText());
      JsonNode relabel = job.get("relabel_configs");
      assertEquals("[\"__address__\"]", relabel.at("/0/source_labels").toString(), name);
      assertEquals("__param_target", relabel.at("/0/target_label").asText(), name);
      assertEquals("[\"__param_target\"]", relabel.at("/1/source_labels").toString(), name);
      assertEquals("instance", relabel.at("/1/target_label").asText(), name);
      assertEquals("__address__", relabel.at("/3/target_label").asText(), name);
      assertEquals("blackbox-exporter:9115", relabel.at("/3/replacement").asText(), name);
    }
    assertEquals(Map.of("blackbox-http", "http_2xx", "blackbox-tcp", "tcp_connect", "blackbox-dns", "dns",
        "blackbox-icmp", "icmp"), modules);
    JsonNode blackbox = Packaging.yaml(Packaging.file("blackbox/blackbox.yml")).get("modules");
    for (String module : modules.values()) {
      assertTrue(blackbox.has(module), "blackbox.yml has no module " + module);
    }
  }

  /** An HA pair differs only in the replica label, which must not reach Alertmanager. */
  @Test
  void replicaLabelIsDroppedFromAlertsSoAnHaPairDeduplicates() {
    assertTrue(config.at("/global/external_labels/replica").isTextual());
    JsonNode relabel = config.at("/alerting/alert_relabel_configs/0");
    assertEquals("labeldrop", relabel.get("action").asText());
    assertEquals("replica", relabel.get("regex").asText());
  }

  @Test
  void federationPullsOnlySloSeriesAndTheGatewayWithHonoredLabels() {
    JsonNode federate = Packaging.yaml(Packaging.file("prometheus/federation.yml")).at("/scrape_configs/0");
    assertEquals("/federate", federate.get("metrics_path").asText());
    assertTrue(federate.get("honor_labels").asBoolean());
    assertEquals("[\"{job=\\\"inference-gateway\\\"}\",\"{__name__=~\\\"slo:.*\\\"}\"]",
        federate.at("/params/match[]").toString());
  }
}
