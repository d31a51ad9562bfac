package io.promsuite.exporter.common.web;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Builds an {@link SSLContext} from PEM files as Go's crypto/tls reads them (PKCS#1, PKCS#8, SEC1 keys). */
final class PemTls {
  private PemTls() {}

  static SSLContext serverContext(WebConfig.TlsServerConfig tls) throws IOException, GeneralSecurityException {
    List<X509Certificate> chain = certificates(Path.of(tls.certFile()));
    if (chain.isEmpty()) {
      throw new IOException(tls.certFile() + ": no certificate found (expected PEM 'BEGIN CERTIFICATE')");
    }
    PrivateKey key = privateKey(Path.of(tls.keyFile()));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("server", key, new char[0], chain.toArray(Certificate[]::new));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);

    TrustManager[] tms = null;
    String auth = tls.clientAuthType();
    if (auth.equals("RequestClientCert") || auth.equals("RequireAnyClientCert")) {
      tms = new TrustManager[] {new AcceptAnyClient()};
    } else if (tls.clientCaFile() != null && !tls.clientCaFile().isEmpty()) {
      KeyStore ts = KeyStore.getInstance("PKCS12");
      ts.load(null, null);
      int i = 0;
      for (X509Certificate ca : certificates(Path.of(tls.clientCaFile()))) {
        ts.setCertificateEntry("ca" + i++, ca);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ts);
      tms = tmf.getTrustManagers();
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tms, new SecureRandom());
    return ctx;
  }

  static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    try (var in = Files.newInputStream(file)) {
      Collection<? extends Certificate> all = cf.generateCertificates(in);
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate c : all) {
        out.add((X509Certificate) c);
      }
      return out;
    }
  }

  static PrivateKey privateKey(Path file) throws IOException {
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

  /** For RequestClientCert / RequireAnyClientCert: a client certificate is asked for, not verified. */
  private static final class AcceptAnyClient implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
