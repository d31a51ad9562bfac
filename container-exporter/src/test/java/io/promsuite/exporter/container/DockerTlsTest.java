package io.promsuite.exporter.container;

import static io.promsuite.exporter.container.testing.Scrape.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.DockerDaemon;
import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Ports;
import io.promsuite.exporter.common.testing.RealParts;
import io.promsuite.exporter.common.testing.TempDirs;
import io.promsuite.exporter.container.testing.Scrape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A real dockerd on tcp:// with --tlsverify (certificates made by openssl here): the client certificate path works. */
class DockerTlsTest {

  private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(RealParts.require("openssl").toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
    }
  }

  /** A CA, a server certificate for 127.0.0.1 and a client certificate named as DOCKER_CERT_PATH wants them. */
  private static void makeCertificates(Path d) throws Exception {
    openssl(d, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca-key.pem", "-out", "ca.pem", "-days", "1",
        "-subj", "/CN=promsuite-test-ca");
    openssl(d, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server-key.pem", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
    Files.writeString(d.resolve("server.ext"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
    openssl(d, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
        "-out", "server-cert.pem", "-days", "1", "-extfile", "server.ext");
    openssl(d, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "client.csr", "-subj", "/CN=exporter");
    Files.writeString(d.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
    openssl(d, "x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
        "-out", "cert.pem", "-days", "1", "-extfile", "client.ext");
  }

  @Test
  void tcpWithTlsClientCertificatesReachesTheDaemonAndPlainHttpDoesNot() throws Exception {
    Path certs = Files.createTempDirectory("dkcerts");
    try {
      makeCertificates(certs);
      int port = Ports.free();
      String tcp = "tcp://127.0.0.1:" + port;
      try (DockerDaemon engine = DockerDaemon.start(List.of("--host", tcp, "--tlsverify",
          "--tlscacert", certs.resolve("ca.pem").toString(), "--tlscert", certs.resolve("server-cert.pem").toString(),
          "--tlskey", certs.resolve("server-key.pem").toString()))) {
        engine.runContainer("--name", "tlsbox", engine.importBusyboxImage(DockerDaemon.BUSYBOX_IMAGE), "sleep", "3600");
        try (ExporterProcess x = new ExporterProcess("--docker.host=" + tcp, "--docker.tls-verify",
            "--docker.cert-path=" + certs, "--housekeeping.interval=1s")) {
          Exposition e = Scrape.until(x.port, Duration.ofSeconds(60), "tlsbox over TLS",
              ex -> sum(ex, "container_memory_usage_bytes", Map.of("name", "tlsbox")) > 0);
          assertEquals(1, sum(e, "container_exporter_docker_up", Map.of()));
          assertEquals("docker", Scrape.samples(e, "container_exporter_source_info", Map.of()).getFirst().labels().get("source"),
              "auto picks the stats API for a tcp:// daemon");
        }
        try (ExporterProcess plain = new ExporterProcess("--docker.host=" + tcp, "--no-docker.tls-verify",
            "--docker.resync-interval=1s")) {
          Exposition e = Scrape.until(plain.port, Duration.ofSeconds(60), "a refused plain-HTTP listing",
              ex -> sum(ex, "container_exporter_refresh_errors_total", Map.of("kind", "list")) >= 1);
          assertEquals(0, sum(e, "container_exporter_docker_up", Map.of()));
          assertTrue(e.samples("container_memory_usage_bytes").isEmpty());
        }
      }
    } finally {
      TempDirs.delete(certs);
    }
  }
}
