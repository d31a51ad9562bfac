package io.promsuite.pushgateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/** Sends one request to the gateway over a kept-alive HTTP/1.1 connection; no retries here. */
final class HttpTransport implements AutoCloseable {

  /** The part of an answer the client needs. */
  record Response(int status, String body) {}

  private static final int MAX_MESSAGE_CHARS = 4000;

  private final URI base;
  private final HttpClient client;
  private final ExecutorService executor;
  private final Duration requestTimeout;
  private final List<Map.Entry<String, String>> headers;

  HttpTransport(URI base, Duration connectTimeout, Duration requestTimeout, SSLContext sslContext,
      List<Map.Entry<String, String>> headers) {
    this.base = base;
    this.requestTimeout = requestTimeout;
    this.headers = List.copyOf(headers);
    this.executor = Executors.newVirtualThreadPerTaskExecutor();
    HttpClient.Builder builder = HttpClient.newBuilder()
        // The gateway speaks HTTP/1.1; asking for h2c would cost an upgrade round trip per connection.
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(executor);
    if (sslContext != null) {
      builder.sslContext(sslContext);
    }
    this.client = builder.build();
  }

  URI uri(String path) {
    String b = base.toString();
    return URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) + path : b + path);
  }

  /**
   * Sends the request, waiting at most {@code timeout} (capped at the configured request timeout).
   *
   * @throws IOException on connection errors and timeouts ({@link java.net.http.HttpTimeoutException})
   */
  Response send(PushRequest request, Duration timeout) throws IOException, InterruptedException {
    Duration t = timeout.compareTo(requestTimeout) < 0 ? timeout : requestTimeout;
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(request.path())).timeout(t.isZero() ? Duration.ofMillis(1) : t);
    for (Map.Entry<String, String> h : headers) {
      b.header(h.getKey(), h.getValue());
    }
    switch (request.method()) {
      case DELETE -> b.DELETE();
      case PUT, POST -> b.header("Content-Type", request.contentType())
          .method(request.method().name(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
    }
    HttpResponse<byte[]> response = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    String body = new String(response.body(), StandardCharsets.UTF_8).strip();
    if (body.length() > MAX_MESSAGE_CHARS) {
      body = body.substring(0, MAX_MESSAGE_CHARS) + "...";
    }
    return new Response(response.statusCode(), body);
  }

  @Override
  public void close() {
    client.close();
    executor.close();
  }
}
