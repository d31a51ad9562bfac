package io.promsuite.exporter.common.web;

import io.promsuite.exporter.common.tls.Pem;
import io.promsuite.exporter.common.tls.TrustAll;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * Key and trust managers from PEM files as Go's crypto/tls reads them (PKCS#1, PKCS#8, SEC1 keys),
 * checked as Go checks them when a web config is loaded: the key must belong to the certificate
 * and the client CA file must hold certificates.
 */
final class PemTls {
  private PemTls() {}

  /** What a TLS server config gives a handshake: the server's key and the client-certificate check. */
  record Material(X509ExtendedKeyManager keyManager, X509TrustManager trustManager) {}

  static Material material(WebConfig.TlsServerConfig tls) throws IOException, GeneralSecurityException {
    List<X509Certificate> chain = certificates(tls.certFile());
    if (chain.isEmpty()) {
      throw new IOException(tls.certFile() + ": no certificate found (expected PEM 'BEGIN CERTIFICATE')");
    }
    PrivateKey key;
    try {
      key = Pem.privateKey(Path.of(tls.keyFile()));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IOException(tls.keyFile() + ": file does not exist", e);
    }
    if (!matches(key, chain.getFirst().getPublicKey())) {
      throw new IOException(tls.keyFile() + ": private key does not match public key of " + tls.certFile());
    }
    // A key manager of its own: a PKCS#12 store would PBKDF2-encrypt and decrypt the key at start.
    X509ExtendedKeyManager km = new FixedKeyManager(key, chain);

    X509TrustManager tm = null;
    String auth = tls.clientAuthType();
    if (auth.equals("RequestClientCert") || auth.equals("RequireAnyClientCert")) {
      tm = new TrustAll();
    } else if (tls.clientCaFile() != null && !tls.clientCaFile().isEmpty()) {
      List<X509Certificate> cas = certificates(tls.clientCaFile());
      if (cas.isEmpty()) {
        throw new IOException(tls.clientCaFile() + ": no certificate found in client_ca_file (expected PEM 'BEGIN CERTIFICATE')");
      }
      KeyStore ts = KeyStore.getInstance("PKCS12");
      ts.load(null, null);
      int i = 0;
      for (X509Certificate ca : cas) {
        ts.setCertificateEntry("ca" + i++, ca);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ts);
      for (TrustManager m : tmf.getTrustManagers()) {
        if (m instanceof X509TrustManager x) {
          tm = x;
        }
      }
    }
    return new Material(km, tm);
  }

  /** The certificates in a PEM file; none (not an error) when it holds no certificate data. */
  private static List<X509Certificate> certificates(String file) throws IOException, GeneralSecurityException {
    try {
      return Pem.certificates(Path.of(file));
    } catch (java.security.cert.CertificateException e) {
      if (String.valueOf(e.getMessage()).contains("No certificate data")) {
        return List.of();
      }
      throw new IOException(file + ": cannot read certificate: " + e.getMessage(), e);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IOException(file + ": file does not exist", e);
    }
  }

  /** True when {@code key} signs what {@code pub} verifies: works for RSA, EC and EdDSA alike. */
  private static boolean matches(PrivateKey key, PublicKey pub) throws GeneralSecurityException {
    if (!key.getAlgorithm().equals(pub.getAlgorithm())
        && !(key.getAlgorithm().startsWith("Ed") && pub.getAlgorithm().startsWith("Ed"))) {
      return false;
    }
    String alg = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "RSASSA-PSS" -> "RSASSA-PSS";
      default -> key.getAlgorithm(); // Ed25519, Ed448, EdDSA
    };
    byte[] probe = "promsuite key check".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature s = Signature.getInstance(alg);
      if (alg.equals("RSASSA-PSS")) {
        s.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
            java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
      }
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      if (alg.equals("RSASSA-PSS")) {
        v.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
            java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
      }
      v.initVerify(pub);
      v.update(probe);
      return v.verify(sig);
    } catch (java.security.InvalidKeyException | java.security.SignatureException e) {
      return false;
    }
  }
}
