package io.promsuite.pushgateway;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The {@code User-Agent} the client sends: the library and its version, then the JVM's. */
final class UserAgent {

  static final String PRODUCT = "promsuite-pushgateway-client";
  static final String VALUE = PRODUCT + "/" + version() + " Java/" + System.getProperty("java.version");

  private UserAgent() {}

  static String version() {
    Properties p = new Properties();
    try (InputStream in = UserAgent.class.getResourceAsStream("client.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // An unreadable stamp only costs the version in the header.
    }
    String v = p.getProperty("version", "").strip();
    return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
  }
}
