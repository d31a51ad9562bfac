package io.promsuite.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promsuite.exporter.common.testing.RealParts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** amtool's verdict on alertmanager.yml and the receivers each label combination reaches. */
class AlertmanagerConfigTest {

  @Test
  void configPassesAmtoolCheckConfig() {
    Run run = Run.of(Packaging.file("alertmanager"), RealParts.require("/usr/bin/amtool").toString(), "check-config", "alertmanager.yml")
        .assertSuccess();
    assertTrue(run.output().contains(" - 2 inhibit rules"), run.output());
    assertTrue(run.output().contains(" - 5 receivers"), run.output());
    assertTrue(run.output().contains(" - 1 templates"), run.output());
  }

  /** The routing tree of ARCHITECTURE.md, "Alert Routing Logic", one row per label set. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      severity=critical team=ml-platform alertname=SLOAvailabilityFastBurn | pagerduty,slack-critical
      severity=critical team=infrastructure alertname=ProbeFailing         | pagerduty,slack-critical
      severity=critical                                                    | pagerduty,slack-critical
      severity=warning team=ml-platform alertname=SLOAvailabilitySlowBurn  | slack-ml-team
      severity=warning team=infrastructure alertname=HostMemoryLow         | slack-infra-team
      severity=warning team=data-science                                   | email-fallback
      severity=warning                                                     | email-fallback
      severity=info team=ml-platform                                       | email-fallback
      team=infrastructure                                                  | email-fallback
      alertname=Watchdog                                                   | email-fallback
      """)
  void labelsReachExactlyTheDocumentedReceivers(String labels, String receivers) {
    List<String> command = new ArrayList<>(List.of(RealParts.require("/usr/bin/amtool").toString(), "config", "routes", "test",
        "--config.file=alertmanager.yml"));
    command.addAll(Arrays.asList(labels.trim().split(" +")));
    Run run = Run.of(Packaging.file("alertmanager"), command).assertSuccess();
    // amtool prints warnings about flags before the answer; the answer is the last line.
    List<String> lines = run.output().lines().filter(l -> !l.isBlank() && !l.startsWith("Warning:")).toList();
    assertEquals(receivers, lines.getLast().trim(), run.output());
  }

  /** --verify.receivers makes amtool itself fail on a mismatch: the check above can fail too. */
  @Test
  void amtoolRejectsAWrongReceiverList() {
    Run run = Run.of(Packaging.file("alertmanager"), RealParts.require("/usr/bin/amtool").toString(), "config", "routes", "test",
        "--config.file=alertmanager.yml", "--verify.receivers=slack-critical", "severity=critical");
    assertEquals(1, run.exitCode(), run.output());
  }

  @Test
  void groupingAndTimingFollowTheDocument() {
    JsonNode route = Packaging.yaml(Packaging.file("alertmanager/alertmanager.yml")).get("route");
    assertEquals("[\"alertname\",\"service\",\"severity\"]", route.get("group_by").toString());
    assertEquals("30s", route.get("group_wait").asText());
    assertEquals("5m", route.get("group_interval").asText());
    assertEquals("4h", route.get("repeat_interval").asText());
    assertEquals("email-fallback", route.get("receiver").asText());
  }

  /** Credentials come from files under /etc/alertmanager/secrets/, never from the repository. */
  @Test
  void everyCredentialIsReadFromASecretFile() {
    String text = Packaging.read(Packaging.file("alertmanager/alertmanager.yml"));
    for (String inline : List.of("routing_key", "service_key", "api_url", "auth_password", "smtp_auth_password",
        "api_key", "bot_token", "password")) {
      assertFalse(Pattern.compile("(?m)^[\\s-]*" + inline + ":").matcher(text).find(),
          "alertmanager.yml sets " + inline + " inline; use " + inline + "_file");
    }
    var fileRefs = Pattern.compile("(?m)^[\\s-]*([a-z_]+_file):\\s*(\\S+)").matcher(text);
    List<String> keys = new ArrayList<>();
    while (fileRefs.find()) {
      keys.add(fileRefs.group(1));
      assertTrue(fileRefs.group(2).startsWith("/etc/alertmanager/secrets/"), fileRefs.group() + " is outside the secrets dir");
    }
    assertEquals(List.of("smtp_auth_password_file", "routing_key_file", "api_url_file", "api_url_file", "api_url_file"), keys);
  }
}
