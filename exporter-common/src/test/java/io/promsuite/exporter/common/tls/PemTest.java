package io.promsuite.exporter.common.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.Command;
import io.promsuite.exporter.common.testing.RealParts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keys in every form openssl writes (and Go's crypto/tls reads) come out of {@link Pem} with the
 * JDK alone exactly as Bouncy Castle's PEM parser reads them.
 */
class PemTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "rsa-pkcs1: openssl genrsa -traditional -out KEY 2048",
      "rsa-pkcs8: openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out KEY",
      "ec-sec1-with-parameters: openssl ecparam -name prime256v1 -genkey -out KEY",
      "ec-sec1-p384: openssl ecparam -name secp384r1 -genkey -noout -out KEY",
      "ec-pkcs8: openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out KEY",
      "ed25519-pkcs8: openssl genpkey -algorithm ED25519 -out KEY"})
  void readsEveryFormAsBouncyCastleDoes(String spec) throws Exception {
    RealParts.require("openssl");
    String name = spec.substring(0, spec.indexOf(':'));
    Path key = dir.resolve(name + ".pem");
    List<String> command = List.of(spec.substring(spec.indexOf(':') + 1).trim().replace("KEY", key.toString()).split(" "));
    Command.run(command).orFail();
    PrivateKey ours = Pem.privateKey(key);
    PrivateKey reference = BouncyCastlePem.privateKey(key);
    assertEquals(reference.getAlgorithm(), ours.getAlgorithm(), name);
    assertArrayEquals(reference.getEncoded(), ours.getEncoded(), name);
  }

  /**
   * Forms Go's crypto/tls does not read (encrypted keys, DSA) are refused with one line naming the
   * file, and node_exporter refuses the same file at start.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "pkcs8-encrypted: openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes-128-cbc -pass pass:secret -out KEY",
      "rsa-traditional-encrypted: openssl genrsa -traditional -aes128 -passout pass:secret -out KEY 2048",
      "dsa-pkcs8: openssl dsaparam -genkey -noout -out KEY 1024",
      "dsa-traditional: openssl dsaparam -genkey -noout -out KEY.p8 1024 && openssl pkey -in KEY.p8 -traditional -out KEY"})
  void formsGoDoesNotReadAreRefusedAsNodeExporterRefusesThem(String spec) throws Exception {
    RealParts.require("openssl");
    Path nodeExporter = RealParts.require("/usr/bin/prometheus-node-exporter");
    String name = spec.substring(0, spec.indexOf(':'));
    Path key = dir.resolve(name + ".pem");
    Path cert = dir.resolve(name + ".crt");
    Command.run(List.of("sh", "-c", spec.substring(spec.indexOf(':') + 1).trim().replace("KEY", key.toString())
        + " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout " + dir.resolve("other.key")
        + " -out " + cert + " -subj /CN=x -days 1")).orFail();

    IOException e = assertThrows(IOException.class, () -> Pem.privateKey(key));
    assertTrue(e.getMessage().startsWith(key + ": cannot read the ") || e.getMessage().startsWith(key + ": the private key is encrypted"),
        e.getMessage());
    assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("Exception"), e.getMessage());

    Path web = Files.writeString(dir.resolve(name + "-web.yml"),
        "tls_server_config:\n  cert_file: " + cert + "\n  key_file: " + key + "\n");
    Process theirs = new ProcessBuilder(nodeExporter.toString(), "--web.config.file=" + web,
        "--web.listen-address=127.0.0.1:0").redirectErrorStream(true).start();
    assertTrue(theirs.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
    String theirOut = new String(theirs.getInputStream().readAllBytes());
    assertEquals(1, theirs.exitValue(), theirOut);
    assertTrue(theirOut.contains("failed to parse private key"), theirOut);
  }

  @ParameterizedTest(name = "[{index}]")
  @ValueSource(strings = {"", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
      "-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n",
      "-----BEGIN EC PRIVATE KEY-----\nMAMCAQE=\n-----END EC PRIVATE KEY-----\n"})
  void aFileWithoutAUsableKeyIsAnErrorNamingTheFile(String content) throws IOException {
    Path key = Files.writeString(dir.resolve("bad.pem"), content);
    IOException e = assertThrows(IOException.class, () -> Pem.privateKey(key));
    assertTrue(e.getMessage().startsWith(key.toString()), e.getMessage());
  }
}
