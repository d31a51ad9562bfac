package io.promsuite.exporter.common.web;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import io.promsuite.exporter.common.tls.Pem;
import io.promsuite.exporter.common.tls.TrustAll;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** Builds an {@link SSLContext} from PEM files as Go's crypto/tls reads them (PKCS#1, PKCS#8, SEC1 keys). */
final class PemTls {
  private PemTls() {}

  static SSLContext serverContext(WebConfig.TlsServerConfig tls) throws IOException, GeneralSecurityException {
    List<X509Certificate> chain = Pem.certificates(Path.of(tls.certFile()));
    if (chain.isEmpty()) {
      throw new IOException(tls.certFile() + ": no certificate found (expected PEM 'BEGIN CERTIFICATE')");
    }
    PrivateKey key = Pem.privateKey(Path.of(tls.keyFile()));

    TrustManager[] tms = null;
    String auth = tls.clientAuthType();
    if (auth.equals("RequestClientCert") || auth.equals("RequireAnyClientCert")) {
      tms = new TrustManager[] {new TrustAll()};
    } else if (tls.clientCaFile() != null && !tls.clientCaFile().isEmpty()) {
      KeyStore ts = KeyStore.getInstance("PKCS12");
      ts.load(null, null);
      int i = 0;
      for (X509Certificate ca : Pem.certificates(Path.of(tls.clientCaFile()))) {
        ts.setCertificateEntry("ca" + i++, ca);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ts);
      tms = tmf.getTrustManagers();
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(new KeyManager[] {new FixedKeyManager(key, chain)}, tms, new SecureRandom());
    return ctx;
  }
}
