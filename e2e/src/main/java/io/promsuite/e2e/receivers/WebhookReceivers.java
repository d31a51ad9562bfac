package io.promsuite.e2e.receivers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.promsuite.exporter.common.web.WebServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * Local stand-ins for PagerDuty, Slack and email: one HTTP server where {@code POST /<receiver>}
 * records an Alertmanager webhook notification for that receiver and {@code GET /<receiver>}
 * (or {@code GET /} for all) shows what arrived, as JSON. The local stack and the end-to-end test
 * point every Alertmanager receiver at it.
 */
public final class WebhookReceivers implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final List<Notification> received = new CopyOnWriteArrayList<>();
  private final Clock clock;
  private final PrintStream log;

  private WebhookReceivers(InetSocketAddress address, Clock clock, PrintStream log) throws IOException {
    this.clock = clock;
    this.log = log;
    server = HttpServer.create(address, 64);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** Starts on {@code address} (port 0: any free port); logs a line per notification to {@code log} if not null. */
  public static WebhookReceivers start(InetSocketAddress address, PrintStream log) throws IOException {
    return new WebhookReceivers(address, Clock.systemUTC(), log);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The URL Alertmanager's webhook_config for {@code receiver} posts to. */
  public String url(String receiver) {
    return "http://127.0.0.1:" + port() + "/" + receiver;
  }

  public List<Notification> all() {
    return List.copyOf(received);
  }

  /** Notifications of one receiver matching {@code filter}, in arrival order. */
  public List<Notification> of(String receiver, Predicate<Notification> filter) {
    List<Notification> out = new ArrayList<>();
    for (Notification n : received) {
      if (n.receiver().equals(receiver) && filter.test(n)) {
        out.add(n);
      }
    }
    return out;
  }

  private void handle(HttpExchange ex) throws IOException {
    String receiver = ex.getRequestURI().getPath().substring(1);
    switch (ex.getRequestMethod()) {
      case "POST" -> {
        JsonNode body;
        try {
          body = JSON.readTree(ex.getRequestBody());
        } catch (IOException e) {
          WebServer.respond(ex, 400, "body is not JSON: " + e.getMessage() + "\n");
          return;
        }
        if (receiver.isEmpty() || !body.has("alerts")) {
          WebServer.respond(ex, 400, "POST an Alertmanager webhook payload to /<receiver name>\n");
          return;
        }
        Notification n = Notification.fromWebhook(receiver, body, clock.instant());
        received.add(n);
        if (log != null) {
          log.println(n.receivedAt() + " " + n.summary());
        }
        WebServer.respond(ex, 200, "");
      }
      case "GET" -> {
        ArrayNode out = JSON.createArrayNode();
        for (Notification n : received) {
          if (receiver.isEmpty() || n.receiver().equals(receiver)) {
            ObjectNode o = out.addObject();
            o.put("receiver", n.receiver()).put("receivedAt", n.receivedAt().toString()).put("status", n.status());
            o.set("groupLabels", JSON.valueToTree(n.groupLabels()));
            o.set("alerts", JSON.valueToTree(n.alerts()));
          }
        }
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
      }
      default -> WebServer.respond(ex, 405, "POST a notification or GET what arrived\n");
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdown();
  }

  /** {@code WebhookReceivers [--listen=127.0.0.1:9099]}: runs the receivers until killed. */
  public static void main(String[] args) throws Exception {
    String listen = "127.0.0.1:9099";
    for (String a : args) {
      if (a.startsWith("--listen=")) {
        listen = a.substring("--listen=".length());
      } else {
        System.err.println("usage: WebhookReceivers [--listen=host:port]; unknown argument " + a);
        System.exit(2);
      }
    }
    int colon = listen.lastIndexOf(':');
    WebhookReceivers r = start(new InetSocketAddress(listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1))), System.out);
    System.out.println("receivers listening on http://" + listen + "/<receiver>");
    Runtime.getRuntime().addShutdownHook(new Thread(r::close));
    Thread.currentThread().join();
  }
}
