package io.promsuite.exporter.common.testing;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates made at test time (self-signed CA, leaf for given names, validity window), as PEM. */
public final class TestCerts {
  /** A key and certificate, with the issuer's certificate for trust. */
  public record Issued(KeyPair keys, X509Certificate cert) {
    public Path writeCert(Path file) throws Exception {
      Files.writeString(file, pem(cert));
      return file;
    }

    /** Writes the key as PKCS#8 ("PRIVATE KEY"), or PKCS#1/SEC1 when {@code traditional}. */
    public Path writeKey(Path file, boolean traditional) throws Exception {
      Object o = traditional ? keys : keys.getPrivate();
      if (!traditional) {
        o = new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(keys.getPrivate(), null).generate();
      }
      Files.writeString(file, pem(o));
      return file;
    }

    /** An SSLContext that trusts only this certificate. */
    public SSLContext trustingContext() throws Exception {
      KeyStore ts = KeyStore.getInstance("PKCS12");
      ts.load(null, null);
      ts.setCertificateEntry("ca", cert);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ts);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    }
  }

  private TestCerts() {}

  public static Issued selfSigned(String cn, Duration notBeforeAgo, Duration validFor, String... dnsOrIps) throws Exception {
    KeyPair kp = rsa();
    return new Issued(kp, sign(cn, kp, cn, kp.getPrivate(), notBeforeAgo, validFor, true, dnsOrIps));
  }

  public static Issued issuedBy(Issued ca, String cn, Duration notBeforeAgo, Duration validFor, String... dnsOrIps)
      throws Exception {
    KeyPair kp = rsa();
    String issuer = ca.cert().getSubjectX500Principal().getName();
    return new Issued(kp, sign(cn, kp, issuer, ca.keys().getPrivate(), notBeforeAgo, validFor, false, dnsOrIps));
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  private static X509Certificate sign(String cn, KeyPair subject, String issuerDn, PrivateKey issuerKey,
      Duration notBeforeAgo, Duration validFor, boolean ca, String... names) throws Exception {
    Instant from = Instant.now().minus(notBeforeAgo);
    X500Name issuer = issuerDn.contains("=") ? new X500Name(issuerDn) : new X500Name("CN=" + issuerDn);
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
        BigInteger.valueOf(System.nanoTime()), Date.from(from), Date.from(from.plus(validFor)),
        new X500Name("CN=" + cn), subject.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    if (names.length > 0) {
      GeneralName[] gn = new GeneralName[names.length];
      for (int i = 0; i < names.length; i++) {
        gn[i] = new GeneralName(names[i].matches("[0-9.]+|.*:.*") ? GeneralName.iPAddress : GeneralName.dNSName,
            names[i]);
      }
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(gn));
    }
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
  }

  static String pem(Object o) throws Exception {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(o);
    }
    return sw.toString();
  }
}
