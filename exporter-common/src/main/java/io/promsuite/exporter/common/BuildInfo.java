package io.promsuite.exporter.common;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Version, revision and branch stamped at build time, for --version and {@code *_exporter_build_info}. */
public record BuildInfo(String version, String revision, String branch, String buildDate) {

  public static BuildInfo load() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("build-info.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException ignored) {
      // An unreadable stamp is not worth failing over; fields fall back to "unknown".
    }
    return new BuildInfo(value(p, "version"), value(p, "revision"), value(p, "branch"), value(p, "date"));
  }

  private static String value(Properties p, String key) {
    String v = p.getProperty(key, "").trim();
    return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
  }

  public String javaVersion() {
    return System.getProperty("java.version");
  }

  /** The --version text, shaped like the Go exporters' version banner. */
  public String banner(String program) {
    return program + ", version " + version + " (branch: " + branch + ", revision: " + revision + ")\n"
        + "  build date:       " + buildDate + "\n"
        + "  java version:     " + javaVersion() + "\n"
        + "  platform:         " + System.getProperty("os.name").toLowerCase() + "/" + System.getProperty("os.arch") + "\n";
  }
}
