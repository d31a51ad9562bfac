package io.promsuite.exporter.common;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The build's class-data training run: with {@code -Dpromsuite.training=https|http} the exporter,
 * once it listens, sends itself the requests a Prometheus server sends (every exposition format,
 * gzip, the health and landing pages, and the exporter's own {@code trainingPaths}), then exits 0, so
 * that {@code -XX:ArchiveClassesAtExit} records every class a real scrape loads. Nothing of this
 * runs unless the build asks for it.
 */
final class Training {
  private static final String PROPERTY = "promsuite.training";
  private static final List<String> ACCEPT = List.of(
      "text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
      "application/openmetrics-text;version=1.0.0;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
      "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited");

  private Training() {}

  static boolean requested() {
    return System.getProperty(PROPERTY) != null;
  }

  /** Scrapes the running exporter as Prometheus would; the first failure ends the run. */
  static void run(Exporter.Running running, String telemetryPath, List<String> extraPaths) throws IOException {
    String scheme = System.getProperty(PROPERTY).equals("https") ? "https" : "http";
    String base = scheme + "://127.0.0.1:" + running.port();
    String auth = System.getProperty(PROPERTY + ".auth", "");
    List<String> extra = new ArrayList<>();
    for (String path : extraPaths) {
      extra.add(path.replace("{port}", String.valueOf(running.port())).replace("{base}", base));
    }
    // Ready first (an exporter may wait for its first read of a source), as Prometheus would find it.
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (status(base + "/-/ready", "*/*", auth) != 200) {
      if (System.nanoTime() > deadline) {
        throw new IOException("training: " + base + "/-/ready did not answer 200 within 60 s");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("training interrupted", e);
      }
    }
    for (int round = 0; round < 3; round++) {
      for (String accept : ACCEPT) {
        get(base + telemetryPath, accept, auth, true);
      }
      for (String path : List.of("/", "/-/healthy", "/-/ready")) {
        get(base + path, "*/*", auth, true);
      }
      // The exporter's own requests exercise code; what they answer depends on its configuration.
      for (String path : extra) {
        get(base + path, "*/*", auth, false);
      }
    }
  }

  private static void get(String url, String accept, String auth, boolean must) throws IOException {
    int status = status(url, accept, auth);
    if (must && status != 200) {
      throw new IOException("training request " + url + " answered " + status);
    }
  }

  private static int status(String url, String accept, String auth) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
    if (c instanceof HttpsURLConnection https) {
      // Our own loopback listener with the build's throwaway certificate.
      https.setSSLSocketFactory(trustAll());
      https.setHostnameVerifier((host, session) -> true);
    }
    c.setRequestProperty("Accept", accept);
    c.setRequestProperty("Accept-Encoding", "gzip");
    c.setRequestProperty(io.promsuite.exporter.common.collect.CollectorRegistry.TIMEOUT_HEADER, "10");
    if (!auth.isEmpty()) {
      c.setRequestProperty("Authorization", "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8)));
    }
    int status = c.getResponseCode();
    try (InputStream body = status < 400 ? c.getInputStream() : c.getErrorStream()) {
      if (body != null) {
        body.readAllBytes();
      }
    }
    return status;
  }

  private static javax.net.ssl.SSLSocketFactory trustAll() throws IOException {
    TrustManager any = new io.promsuite.exporter.common.tls.TrustAll();
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {any}, new SecureRandom());
      return context.getSocketFactory();
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
