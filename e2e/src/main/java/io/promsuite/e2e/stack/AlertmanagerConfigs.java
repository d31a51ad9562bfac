package io.promsuite.e2e.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * Rewrites packaging/'s reference alertmanager.yml for a local stack. The routing tree, its
 * matchers, {@code continue}s, grouping and the inhibition rules are kept exactly; only what
 * leaves the machine changes: every receiver (PagerDuty, Slack, email) keeps its name but
 * delivers to a local webhook instead, and the route timers are divided by a factor so grouping
 * and resolution happen in seconds.
 */
public final class AlertmanagerConfigs {
  private AlertmanagerConfigs() {}

  /**
   * @param webhookUrl the local URL for a receiver name
   * @param divisor how much faster the route timers run (group_wait, group_interval, repeat_interval)
   */
  public static String local(Path reference, Function<String, String> webhookUrl, double divisor) throws IOException {
    ObjectNode root = (ObjectNode) Yaml.read(reference);
    // Only resolve_timeout is about Alertmanager itself; the rest of global configures the
    // external services (SMTP, Slack, PagerDuty) nobody calls here.
    ObjectNode global = root.withObject("/global");
    for (Iterator<String> it = global.fieldNames(); it.hasNext();) {
      if (!it.next().equals("resolve_timeout")) {
        it.remove();
      }
    }
    root.remove("templates");
    scaleTimers(root.path("route"), divisor);
    for (JsonNode r : root.path("receivers")) {
      ObjectNode receiver = (ObjectNode) r;
      String name = receiver.path("name").asText();
      boolean sendResolved = sendsResolved(receiver);
      List<String> integrations = new ArrayList<>();
      receiver.fieldNames().forEachRemaining(integrations::add);
      integrations.stream().filter(f -> !f.equals("name")).forEach(receiver::remove);
      if (!integrations.equals(List.of("name"))) {
        ArrayNode hooks = receiver.putArray("webhook_configs");
        hooks.addObject().put("url", webhookUrl.apply(name)).put("send_resolved", sendResolved);
      }
    }
    return "# GENERATED from " + reference + " by io.promsuite.e2e.stack.AlertmanagerConfigs: "
        + "receivers are local webhooks, timers / " + divisor + ".\n" + Yaml.write(root);
  }

  /** A receiver sends resolved notifications when any of its integrations does (Slack's default is false, the others' true). */
  private static boolean sendsResolved(ObjectNode receiver) {
    boolean any = false;
    for (Iterator<java.util.Map.Entry<String, JsonNode>> it = receiver.fields(); it.hasNext();) {
      var e = it.next();
      if (!e.getValue().isArray()) {
        continue;
      }
      for (JsonNode c : e.getValue()) {
        boolean dflt = !e.getKey().equals("slack_configs");
        any |= c.path("send_resolved").asBoolean(dflt);
      }
    }
    return any;
  }

  private static void scaleTimers(JsonNode route, double divisor) {
    if (!(route instanceof ObjectNode r)) {
      return;
    }
    for (String timer : new String[] {"group_wait", "group_interval", "repeat_interval"}) {
      if (r.has(timer)) {
        r.put(timer, PromDuration.scale(r.get(timer).asText(), divisor, 1000));
      }
    }
    for (JsonNode child : r.path("routes")) {
      scaleTimers(child, divisor);
    }
  }
}
