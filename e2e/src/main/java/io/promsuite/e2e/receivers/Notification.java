package io.promsuite.e2e.receivers;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One notification Alertmanager sent to a receiver (one webhook POST = one grouped notification),
 * reduced to what the on-call would see: firing or resolved, the group, and each alert's labels.
 */
public record Notification(String receiver, Instant receivedAt, String status, String groupKey,
    Map<String, String> groupLabels, List<Alert> alerts) {

  /** One alert of the notification. */
  public record Alert(String status, Map<String, String> labels) {
    public String name() {
      return labels.getOrDefault("alertname", "");
    }
  }

  /** Parses Alertmanager's webhook payload (version 4). */
  static Notification fromWebhook(String receiver, JsonNode body, Instant at) {
    List<Alert> alerts = new ArrayList<>();
    for (JsonNode a : body.path("alerts")) {
      alerts.add(new Alert(a.path("status").asText(), strings(a.path("labels"))));
    }
    return new Notification(receiver, at, body.path("status").asText(), body.path("groupKey").asText(),
        strings(body.path("groupLabels")), List.copyOf(alerts));
  }

  private static Map<String, String> strings(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  public boolean firing() {
    return "firing".equals(status);
  }

  /** True when every alert of the notification has this alert name. */
  public boolean isAbout(String alertname) {
    return !alerts.isEmpty() && alerts.stream().allMatch(a -> a.name().equals(alertname));
  }

  /** One line for logs: {@code receiver status alertname{labels}...}. */
  public String summary() {
    StringBuilder sb = new StringBuilder(receiver).append(' ').append(status).append(" group=").append(groupLabels);
    for (Alert a : alerts) {
      sb.append(' ').append(a.name()).append('[').append(a.status()).append(']');
    }
    return sb.toString();
  }
}
