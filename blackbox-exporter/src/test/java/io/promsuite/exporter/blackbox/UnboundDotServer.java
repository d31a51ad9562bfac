package io.promsuite.exporter.blackbox;

import io.promsuite.exporter.common.testing.Ports;
import io.promsuite.exporter.common.testing.RealParts;
import io.promsuite.exporter.common.testing.RealProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's unbound answering DNS over TLS (RFC 7858) on a free loopback port, with the test CA's
 * "localhost" certificate and a static zone {@code dot.test}; stopped by PID.
 */
final class UnboundDotServer implements AutoCloseable {
  final int port;
  final RealProcess process;

  UnboundDotServer(TestCerts certs) throws Exception {
    Path unbound = RealParts.require("/usr/sbin/unbound");
    port = Ports.free();
    Path dir = Files.createTempDirectory("unbound");
    // PKCS#8, what OpenSSL reads whatever the key type.
    Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n"
        + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certs.valid.key().getEncoded())
        + "\n-----END PRIVATE KEY-----\n");
    StringBuilder chain = new StringBuilder();
    for (var c : certs.valid.chain()) {
      chain.append(TestCerts.pem(c));
    }
    Path cert = Files.writeString(dir.resolve("cert.pem"), chain);
    Path conf = Files.writeString(dir.resolve("unbound.conf"), """
        server:
          interface: 127.0.0.1@%1$d
          tls-port: %1$d
          tls-service-key: "%2$s"
          tls-service-pem: "%3$s"
          do-daemonize: no
          use-syslog: no
          logfile: ""
          verbosity: 1
          username: ""
          chroot: ""
          directory: "%4$s"
          pidfile: "%4$s/unbound.pid"
          do-ip6: no
          access-control: 127.0.0.0/8 allow
          module-config: "iterator"
          local-zone: "dot.test." static
          local-data: "host.dot.test. 300 IN A 192.0.2.53"
          local-data: "host.dot.test. 300 IN AAAA 2001:db8::53"
        remote-control:
          control-enable: no
        """.formatted(port, key, cert, dir));
    process = RealProcess.start(List.of(unbound.toString(), "-d", "-c", conf.toString()), dir.resolve("unbound.log"));
    process.awaitListening(port, Duration.ofSeconds(20));
  }

  String target() {
    return "127.0.0.1:" + port;
  }

  /** The same server named by the certificate's name, as a DoT target usually is. */
  String namedTarget() {
    return "localhost:" + port;
  }

  @Override
  public void close() {
    process.close();
  }
}
