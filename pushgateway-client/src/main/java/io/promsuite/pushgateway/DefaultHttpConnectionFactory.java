package io.promsuite.pushgateway;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;

/** {@code url.openConnection()}: plain http, or https trusting the JVM's trust store. */
public class DefaultHttpConnectionFactory implements HttpConnectionFactory {
  @Override
  public HttpURLConnection create(URL url) throws IOException {
    return (HttpURLConnection) url.openConnection();
  }
}
