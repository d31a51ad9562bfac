package io.promsuite.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promsuite.exporter.common.testing.Http;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Alertmanager's v2 API: the alerts it holds (with inhibition and silence state) and silences. */
record AlertmanagerApi(String name, String base) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Alerts with this alertname, including inhibited and silenced ones. */
  List<JsonNode> alerts(String alertname) throws Exception {
    String filter = URLEncoder.encode("alertname=\"" + alertname + "\"", StandardCharsets.UTF_8);
    var r = Http.get(base + "api/v2/alerts?filter=" + filter);
    if (r.statusCode() != 200) {
      throw new IllegalStateException(name + ": GET alerts: " + r.statusCode() + " " + r.body());
    }
    List<JsonNode> out = new ArrayList<>();
    JSON.readTree(r.body()).forEach(out::add);
    return out;
  }

  /** Creates a silence with equality matchers; returns its id. */
  String silence(Map<String, String> matchers, Duration length, String comment) throws Exception {
    var body = JSON.createObjectNode();
    var ms = body.putArray("matchers");
    matchers.forEach((k, v) -> ms.addObject().put("name", k).put("value", v).put("isRegex", false).put("isEqual", true));
    Instant now = Instant.now();
    body.put("startsAt", now.toString()).put("endsAt", now.plus(length).toString())
        .put("createdBy", "promsuite-e2e").put("comment", comment);
    var r = Http.post(base + "api/v2/silences", JSON.writeValueAsString(body), "Content-Type", "application/json");
    if (r.statusCode() != 200) {
      throw new IllegalStateException(name + ": POST silence: " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body()).path("silenceID").asText();
  }

  /** The silence's state (active, pending, expired) as this node sees it. */
  String silenceState(String id) throws Exception {
    var r = Http.get(base + "api/v2/silence/" + id);
    return r.statusCode() == 200 ? JSON.readTree(r.body()).path("status").path("state").asText() : "unknown (" + r.statusCode() + ")";
  }
}
