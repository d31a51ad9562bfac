package io.promsuite.packaging;

import io.promsuite.exporter.common.testing.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/** Loopback HTTP for the runtime checks: requests, free ports and polling. */
final class Http {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Http() {}

  /** A status and body; a refused connection is status -1 with the error as body. */
  record Response(int status, String body) {}

  static Response get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  static Response post(String url, String contentType, String body) {
    return send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  static Response put(String url, String contentType, String body) {
    return send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", contentType)
        .PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          CLIENT.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body());
    } catch (IOException e) {
      return new Response(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** A TCP port nobody listens on right now (bound to port 0 and released). */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Polls {@code condition} (through {@link Poll}) until it holds; fails with {@code what} after {@code timeout}. */
  static void await(Duration timeout, String what, Supplier<Boolean> condition) {
    Poll.until(timeout, what, condition::get);
  }

  /** As above, with the description computed at the end so it can show the last state seen. */
  static void await(Duration timeout, Supplier<String> what, Supplier<Boolean> condition) {
    try {
      Poll.until(timeout, "the condition below", condition::get);
    } catch (AssertionError e) {
      throw new AssertionError("gave up after " + timeout.toSeconds() + " s waiting for " + what.get(), e);
    }
  }
}
