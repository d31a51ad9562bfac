package io.promsuite.exporter.blackbox;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates made at test time: a CA with valid, expired and wrong-host leaves, and a self-signed one. */
final class TestCerts {
  /** A key and its chain (leaf first). */
  record Identity(PrivateKey key, List<X509Certificate> chain) {
    X509Certificate leaf() {
      return chain.getFirst();
    }

    SSLContext serverContext() throws Exception {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("k", key, new char[0], chain.toArray(Certificate[]::new));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    }
  }

  final Identity ca;
  final Identity valid;
  final Identity expired;
  final Identity wrongHost;
  final Identity selfSigned;
  final Path caFile;
  final Path selfSignedFile;

  TestCerts(Path dir) throws Exception {
    Instant now = Instant.now();
    KeyPair caKey = key();
    X509Certificate caCert = sign(new X500Name("CN=Promsuite Test CA,O=Promsuite"), caKey, new X500Name("CN=Promsuite Test CA,O=Promsuite"),
        caKey.getPrivate(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3650)), true, List.of());
    ca = new Identity(caKey.getPrivate(), List.of(caCert));
    valid = leaf("CN=localhost,O=Promsuite", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)),
        List.of("localhost", "127.0.0.1"));
    expired = leaf("CN=expired.localhost", now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)),
        List.of("localhost", "127.0.0.1"));
    wrongHost = leaf("CN=other.example", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)),
        List.of("other.example"));
    KeyPair selfKey = key();
    X500Name selfName = new X500Name("CN=self-signed.localhost");
    selfSigned = new Identity(selfKey.getPrivate(), List.of(sign(selfName, selfKey, selfName, selfKey.getPrivate(),
        now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), false, List.of("localhost", "127.0.0.1"))));
    caFile = dir.resolve("ca.pem");
    Files.writeString(caFile, pem(caCert));
    selfSignedFile = dir.resolve("self-signed.pem");
    Files.writeString(selfSignedFile, pem(selfSigned.leaf()));
  }

  private Identity leaf(String subject, Instant from, Instant to, List<String> sans) throws Exception {
    KeyPair k = key();
    X509Certificate cert = sign(new X500Name(subject), k, new X500Name("CN=Promsuite Test CA,O=Promsuite"),
        ca.key(), from, to, false, sans);
    return new Identity(k.getPrivate(), List.of(cert, ca.leaf()));
  }

  private static KeyPair key() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return g.generateKeyPair();
  }

  private static X509Certificate sign(X500Name subject, KeyPair subjectKey, X500Name issuer, PrivateKey issuerKey,
      Instant from, Instant to, boolean isCa, List<String> sans) throws Exception {
    // Whole seconds: the exporter reports expiry in Unix seconds.
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, new SecureRandom()),
        Date.from(from.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)),
        Date.from(to.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)), subject, subjectKey.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (!sans.isEmpty()) {
      GeneralName[] names = sans.stream().map(s -> s.matches("[0-9.]+")
          ? new GeneralName(GeneralName.iPAddress, s) : new GeneralName(GeneralName.dNSName, s)).toArray(GeneralName[]::new);
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
    }
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
  }

  static String pem(Object o) throws IOException {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter p = new JcaPEMWriter(w)) {
      p.writeObject(o);
    }
    return w.toString();
  }
}
