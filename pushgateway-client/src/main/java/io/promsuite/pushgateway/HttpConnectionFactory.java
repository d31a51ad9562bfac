package io.promsuite.pushgateway;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;

/**
 * Opens the connection for each request, as client_java's pushgateway {@code HttpConnectionFactory}:
 * the place to configure TLS, a proxy or anything else {@link HttpURLConnection} allows. The client
 * sets method, timeouts and headers on what it returns.
 */
@FunctionalInterface
public interface HttpConnectionFactory {
  HttpURLConnection create(URL url) throws IOException;
}
