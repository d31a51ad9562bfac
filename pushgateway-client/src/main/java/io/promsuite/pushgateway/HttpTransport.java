package io.promsuite.pushgateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends one request to the gateway over a kept-alive HTTP/1.1 connection; no retries here.
 *
 * <p>{@link HttpURLConnection} rather than {@code java.net.http.HttpClient}: its synchronous path
 * costs about half as much per small request (measured in bench/pushgateway-client), which is most
 * of a 10-series push, and it keeps connections alive the same way once a response is read fully.
 */
final class HttpTransport implements AutoCloseable {

  /** The part of an answer the client needs. */
  record Response(int status, String body) {}

  private static final int MAX_MESSAGE_CHARS = 4000;

  private final URI base;
  private final HttpConnectionFactory connectionFactory;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final SSLSocketFactory sslSocketFactory;
  private final List<Map.Entry<String, String>> headers;

  HttpTransport(URI base, HttpConnectionFactory connectionFactory, Duration connectTimeout, Duration requestTimeout,
      SSLContext sslContext, List<Map.Entry<String, String>> headers) {
    this.base = base;
    this.connectionFactory = connectionFactory;
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
    this.sslSocketFactory = sslContext == null ? null : sslContext.getSocketFactory();
    this.headers = List.copyOf(headers);
  }

  URI uri(String path) {
    String b = base.toString();
    return URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) + path : b + path);
  }

  /**
   * Sends the request; connecting and each wait for data are bounded by {@code timeout}, capped at
   * the configured connect and request timeouts.
   *
   * @throws HttpTimeoutException when the gateway does not answer in time
   * @throws IOException on other connection errors
   */
  Response send(PushRequest request, Duration timeout) throws IOException {
    URL url = uri(request.path()).toURL();
    HttpURLConnection c = connectionFactory.create(url);
    try {
      if (sslSocketFactory != null && c instanceof HttpsURLConnection https) {
        https.setSSLSocketFactory(sslSocketFactory);
      }
      c.setConnectTimeout(millis(min(timeout, connectTimeout)));
      c.setReadTimeout(millis(min(timeout, requestTimeout)));
      c.setInstanceFollowRedirects(false);
      c.setUseCaches(false);
      c.setRequestMethod(request.method().name());
      for (Map.Entry<String, String> h : headers) {
        c.setRequestProperty(h.getKey(), h.getValue());
      }
      if (request.method() != PushMethod.DELETE) {
        c.setRequestProperty("Content-Type", request.contentType());
        c.setDoOutput(true);
        // Not streaming mode: in it the connection drops the body of a 401/407 answer, which
        // carries the gateway's message. The body is in memory already, so buffering costs a copy.
        try (OutputStream out = c.getOutputStream()) {
          out.write(request.body());
        }
      }
      int status = c.getResponseCode();
      // Reading the body to its end is what lets the connection go back to the keep-alive cache.
      byte[] body;
      try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
        body = in == null ? new byte[0] : in.readAllBytes();
      }
      String text = new String(body, StandardCharsets.UTF_8).strip();
      if (text.length() > MAX_MESSAGE_CHARS) {
        text = text.substring(0, MAX_MESSAGE_CHARS) + "...";
      }
      return new Response(status, text);
    } catch (SocketTimeoutException e) {
      c.disconnect();
      HttpTimeoutException t = new HttpTimeoutException("no answer from " + url + " within "
          + millis(min(timeout, requestTimeout)) + " ms (" + e.getMessage() + ")");
      t.initCause(e);
      throw t;
    } catch (IOException e) {
      c.disconnect();
      throw e;
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) < 0 ? a : b;
  }

  private static int millis(Duration d) {
    return (int) Math.clamp(d.toMillis(), 1, Integer.MAX_VALUE);
  }

  @Override
  public void close() {
    // Idle connections live in the JDK's keep-alive cache, which closes them after a few seconds.
  }
}
