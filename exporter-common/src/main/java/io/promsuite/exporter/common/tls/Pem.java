package io.promsuite.exporter.common.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** PEM certificates and keys as Go's crypto/tls reads them (keys in PKCS#1, PKCS#8 or SEC1 form). */
public final class Pem {
  private Pem() {}

  /** Every certificate in {@code file}, in order (a chain, or a CA bundle). */
  public static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    try (var in = Files.newInputStream(file)) {
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate c : cf.generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
      return out;
    }
  }

  /** The first private key in {@code file}. */
  public static PrivateKey privateKey(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file); PEMParser parser = new PEMParser(r)) {
      JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PEMKeyPair kp) {
          return conv.getKeyPair(kp).getPrivate();
        }
        if (o instanceof PrivateKeyInfo pki) {
          return conv.getPrivateKey(pki);
        }
      }
    }
    throw new IOException(file + ": no private key found (expected PEM PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
  }
}
