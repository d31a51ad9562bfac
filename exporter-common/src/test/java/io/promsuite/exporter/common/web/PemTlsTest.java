package io.promsuite.exporter.common.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.promsuite.exporter.common.testing.Command;
import io.promsuite.exporter.common.testing.RealParts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The key-belongs-to-certificate check at web config load, for every key form openssl writes
 * (with and without the EC public point in the file): a key is accepted with its own certificate
 * and refused with another key's, as openssl's own comparison of the public keys says.
 */
class PemTlsTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "rsa-pkcs1: openssl genrsa -traditional -out KEY 2048",
      "rsa-pkcs8: openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out KEY",
      "ec-sec1: openssl ecparam -name prime256v1 -genkey -noout -out KEY",
      "ec-pkcs8-p384: openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out KEY",
      "ec-sec1-no-public: openssl ecparam -name prime256v1 -genkey -noout -out KEY.full && openssl ec -in KEY.full -no_public -out KEY",
      "ed25519: openssl genpkey -algorithm ED25519 -out KEY"})
  void aKeyMatchesItsOwnCertificateOnlyAsOpensslSays(String spec) throws Exception {
    RealParts.require("openssl");
    String name = spec.substring(0, spec.indexOf(':'));
    String make = spec.substring(spec.indexOf(':') + 1).trim();
    Path keyA = dir.resolve(name + "-a.key");
    Path keyB = dir.resolve(name + "-b.key");
    Path certA = dir.resolve(name + "-a.crt");
    sh(make.replace("KEY", keyA.toString()));
    sh(make.replace("KEY", keyB.toString()));
    sh("openssl req -x509 -key " + keyA + " -out " + certA + " -subj /CN=a -days 1");
    // openssl's verdict is the reference: the pair matches, the other key does not.
    sh("openssl x509 -in " + certA + " -noout -checkend 0 && [ \"$(openssl x509 -in " + certA
        + " -noout -pubkey)\" = \"$(openssl pkey -in " + keyA + " -pubout)\" ]"
        + " && [ \"$(openssl x509 -in " + certA + " -noout -pubkey)\" != \"$(openssl pkey -in " + keyB + " -pubout)\" ]");

    assertNotNull(PemTls.material(config(certA, keyA)).keyManager(), name);
    IOException e = assertThrows(IOException.class, () -> PemTls.material(config(certA, keyB)), name);
    assertEquals(keyB + ": private key does not match public key of " + certA, e.getMessage());
  }

  private static WebConfig.TlsServerConfig config(Path cert, Path key) {
    return new WebConfig.TlsServerConfig(cert.toString(), key.toString(), "NoClientCert", null, null, null,
        List.of(), List.of(), null, List.of());
  }

  private static void sh(String command) {
    Command.run(List.of("sh", "-c", command)).orFail();
  }
}
