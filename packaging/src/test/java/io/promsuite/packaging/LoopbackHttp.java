package io.promsuite.packaging;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A small HTTP server on 127.0.0.1 for the runtime checks: it answers fixed paths with text
 * (the stand-in for a scrape target) and records every request body (the stand-in for a
 * webhook receiver such as Slack or PagerDuty).
 */
final class LoopbackHttp implements AutoCloseable {
  /** One request as received. */
  record Request(String method, String path, Map<String, List<String>> headers, String body) {
    /** The first value of a header, whatever the case of its name; "" when absent. */
    String header(String name) {
      return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name))
          .map(h -> h.getValue().getFirst()).findFirst().orElse("");
    }
  }

  private final HttpServer server;
  private final Map<String, Supplier<String>> pages = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  LoopbackHttp() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", exchange -> {
      // Bodies are kept as text; binary ones (remote write's snappy protobuf) only by their size.
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1);
      String path = exchange.getRequestURI().getPath();
      requests.add(new Request(exchange.getRequestMethod(), path, Map.copyOf(exchange.getRequestHeaders()), body));
      Supplier<String> page = pages.get(path);
      byte[] answer = (page == null ? "" : page.get()).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type",
          path.equals("/metrics") ? "text/plain; version=0.0.4; charset=utf-8" : "text/plain; charset=utf-8");
      // Unknown paths are 200 too: a webhook receiver accepts whatever is posted to it.
      exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
  }

  /** Serves {@code text} (evaluated per request) at {@code path}. */
  LoopbackHttp serve(String path, Supplier<String> text) {
    pages.put(path, text);
    return this;
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** host:port as a scrape target or URL authority. */
  String address() {
    return "127.0.0.1:" + port();
  }

  List<Request> requests(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
