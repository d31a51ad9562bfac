package io.promsuite.pushgateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Builds an {@link SSLContext} that trusts the CA certificates of a PEM file (a private CA). */
public final class TlsTrust {

  private TlsTrust() {}

  /**
   * Trusts exactly the certificates in {@code pemFile}.
   *
   * @throws IOException naming the file when it cannot be read or holds no certificate
   */
  public static SSLContext fromPem(Path pemFile) throws IOException {
    try (InputStream in = Files.newInputStream(pemFile)) {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new IOException(pemFile + ": no PEM certificate found");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException(pemFile + ": not a usable PEM certificate file: " + e.getMessage(), e);
    }
  }
}
