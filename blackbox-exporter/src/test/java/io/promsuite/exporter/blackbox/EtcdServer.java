package io.promsuite.exporter.blackbox;

import io.promsuite.exporter.common.testing.Ports;
import io.promsuite.exporter.common.testing.RealParts;
import io.promsuite.exporter.common.testing.RealProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's etcd as a real gRPC server (it serves grpc.health.v1 on its client port), in clear
 * text or with a test certificate, on free loopback ports; stopped by PID.
 */
final class EtcdServer implements AutoCloseable {
  final int port;
  final RealProcess process;
  final Path dir;

  EtcdServer(TestCerts.Identity tls) throws Exception {
    Path etcd = RealParts.require("etcd");
    port = distinctFreePort();
    int peer = distinctFreePort();
    dir = Files.createTempDirectory("etcd");
    String scheme = tls == null ? "http" : "https";
    List<String> cmd = new ArrayList<>(List.of(etcd.toString(), "--data-dir=" + dir.resolve("data"),
        "--name=test", "--listen-client-urls=" + scheme + "://127.0.0.1:" + port,
        "--advertise-client-urls=" + scheme + "://127.0.0.1:" + port,
        "--listen-peer-urls=http://127.0.0.1:" + peer, "--initial-advertise-peer-urls=http://127.0.0.1:" + peer,
        "--initial-cluster=test=http://127.0.0.1:" + peer, "--log-level=info"));
    if (tls != null) {
      Path cert = dir.resolve("cert.pem");
      Path key = dir.resolve("key.pem");
      StringBuilder chain = new StringBuilder();
      for (var c : tls.chain()) {
        chain.append(TestCerts.pem(c));
      }
      Files.writeString(cert, chain);
      // PKCS#8 with a named curve, which Go's crypto/tls reads.
      Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
          + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(tls.key().getEncoded())
          + "\n-----END PRIVATE KEY-----\n");
      cmd.add("--cert-file=" + cert);
      cmd.add("--key-file=" + key);
    }
    process = RealProcess.start(cmd, dir.resolve("etcd.log"));
    // The client port opens before the certificates are read: wait for etcd to publish itself, which
    // comes after it loaded them (a bad key stops it with a "C |" line instead).
    process.awaitOutput("published {Name:test", Duration.ofSeconds(30));
  }

  private static final java.util.Set<Integer> TAKEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Ports.free() may hand out a port again once it is closed; two etcds here need four different ones. */
  private static int distinctFreePort() {
    while (true) {
      int p = Ports.free();
      if (TAKEN.add(p)) {
        return p;
      }
    }
  }

  String target() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() throws Exception {
    process.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
