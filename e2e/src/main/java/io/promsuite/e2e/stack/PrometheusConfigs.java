package io.promsuite.e2e.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Rewrites packaging/'s reference prometheus.yml (and federation.yml) for a local stack: the same
 * jobs, relabelling and honor_labels, with every target on loopback, the intervals given, the
 * rule files generated beside it, and alerts sent to the local Alertmanagers. For an HA pair each
 * server gets its own {@code replica} external label; the reference's own alert relabelling must
 * drop it, or the Alertmanagers would see one alert per replica.
 */
public final class PrometheusConfigs {
  private PrometheusConfigs() {}

  /** Options of one generated server config; a null interval keeps the reference's. */
  public record Options(String interval, String replica, List<String> alertmanagers, List<String> ruleFiles,
      AddressBook addresses) {}

  /** The regional server's config from {@code reference} (packaging/prometheus/prometheus.yml). */
  public static String regional(Path reference, Options o) throws IOException {
    ObjectNode root = (ObjectNode) Yaml.read(reference);
    ObjectNode global = root.withObject("/global");
    if (o.interval() != null) {
      global.put("scrape_interval", o.interval()).put("evaluation_interval", o.interval()).put("scrape_timeout", o.interval());
    }
    if (o.replica() != null) {
      global.withObject("/external_labels").put("replica", o.replica());
    }
    ObjectNode alerting = root.withObject("/alerting");
    ArrayNode ams = alerting.putArray("alertmanagers");
    ArrayNode targets = ams.addObject().putArray("static_configs").addObject().putArray("targets");
    o.alertmanagers().forEach(targets::add);
    // alert_relabel_configs stay the reference's own: the HA test proves they drop the replica.
    ArrayNode rules = root.putArray("rule_files");
    o.ruleFiles().forEach(rules::add);
    rewriteScrapeConfigs(reference, root, o.interval(), o.addresses());
    return header(reference) + Yaml.write(root);
  }

  /** The global server's config from {@code reference} (packaging/prometheus/federation.yml). */
  public static String federation(Path reference, String interval, AddressBook addresses) throws IOException {
    ObjectNode root = (ObjectNode) Yaml.read(reference);
    if (interval != null) {
      root.withObject("/global").put("scrape_interval", interval).put("evaluation_interval", interval);
    }
    rewriteScrapeConfigs(reference, root, interval, addresses);
    return header(reference) + Yaml.write(root);
  }

  private static String header(Path reference) {
    return "# GENERATED from " + reference + " by io.promsuite.e2e.stack.PrometheusConfigs: loopback targets, short intervals.\n";
  }

  private static void rewriteScrapeConfigs(Path file, ObjectNode root, String interval, AddressBook book) throws IOException {
    for (JsonNode j : root.path("scrape_configs")) {
      ObjectNode job = (ObjectNode) j;
      String name = job.path("job_name").asText();
      try {
        if (interval != null && job.has("scrape_interval")) {
          job.put("scrape_interval", interval);
        }
        if (interval != null && job.has("scrape_timeout")) {
          job.put("scrape_timeout", interval);
        }
        for (JsonNode sc : job.path("static_configs")) {
          ArrayNode local = Yaml.mapper().createArrayNode();
          for (JsonNode t : sc.path("targets")) {
            book.resolve(t.asText()).ifPresent(local::add);
          }
          ((ObjectNode) sc).set("targets", local);
        }
        for (JsonNode rc : job.path("relabel_configs")) {
          // The exporter address of the blackbox pattern: replacement -> __address__.
          if ("__address__".equals(rc.path("target_label").asText()) && rc.has("replacement")) {
            ((ObjectNode) rc).put("replacement", book.resolve(rc.get("replacement").asText())
                .orElseThrow(() -> new IllegalArgumentException("the exporter address cannot be dropped")));
          }
        }
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ": job " + name + ": " + e.getMessage(), e);
      }
    }
  }

  /** Scrape jobs of a generated config and their targets, for printing and checks. */
  public static Map<String, List<String>> jobs(String yaml) throws IOException {
    JsonNode root = Yaml.mapper().readTree(yaml);
    Map<String, List<String>> out = new java.util.LinkedHashMap<>();
    for (JsonNode j : root.path("scrape_configs")) {
      List<String> targets = new java.util.ArrayList<>();
      j.path("static_configs").forEach(sc -> sc.path("targets").forEach(t -> targets.add(t.asText())));
      out.put(j.path("job_name").asText(), targets);
    }
    return out;
  }
}
