package io.promsuite.exporter.common.web;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.crypto.KeyAgreement;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * Start-up work the first scrape would otherwise wait for one piece after another on the main
 * thread, done on a second thread while the main one builds the collectors: the class
 * initialisers of Jetty's HTTP tables (MimeTypes asks the JDK for every locale, ~0.1 s
 * interpreted), P-256's tables, JSSE's (security providers, named groups, cipher suites), X25519
 * and bcrypt's inner loops.
 * Nothing is kept: it only runs code the main thread runs next, so whichever thread gets there
 * first initialises a class and the other waits for it. A failure here changes nothing but time.
 */
public final class WarmUp {
  private static final Logger LOG = Logger.getLogger(WarmUp.class.getName());

  private WarmUp() {}

  /** Starts the warm-up; {@code secured} (a web config is given) adds TLS and bcrypt. */
  public static Thread start(boolean secured) {
    return Thread.ofPlatform().daemon().name("warm-up").start(() -> run(secured));
  }

  static void run(boolean secured) {
    try {
      if (secured) {
        // The first P-256 operation builds the curve's precomputed tables (~0.2 s cold); the key
        // check of the web config and then every handshake's signature use them.
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = ec.generateKeyPair();
        Signature sign = Signature.getInstance("SHA256withECDSA");
        sign.initSign(pair.getPrivate());
        sign.update(new byte[32]);
        sign.sign();
      }
      ClassLoader loader = WarmUp.class.getClassLoader();
      for (String name : new String[] {"org.eclipse.jetty.http.MimeTypes", "org.eclipse.jetty.http.HttpParser",
          "org.eclipse.jetty.http.HttpGenerator", "org.eclipse.jetty.http.HttpField"}) {
        Class.forName(name, true, loader);
      }
      if (!secured) {
        return;
      }
      // What Jetty's SslContextFactory asks for at start, then a handshake's key share: no key or
      // trust material (empty managers), so no trust store is read.
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(new KeyManager[0], new TrustManager[0], null);
      tls.getDefaultSSLParameters();
      tls.createSSLEngine().getSupportedCipherSuites();
      KeyPair x25519 = KeyPairGenerator.getInstance("X25519").generateKeyPair();
      KeyAgreement agree = KeyAgreement.getInstance("X25519");
      agree.init(x25519.getPrivate());
      agree.doPhase(x25519.getPublic(), true);
      agree.generateSecret();
      BasicAuth.warmUp();
    } catch (Exception | LinkageError e) {
      LOG.log(Level.FINE, "start-up warm-up stopped early", e);
    }
  }
}
