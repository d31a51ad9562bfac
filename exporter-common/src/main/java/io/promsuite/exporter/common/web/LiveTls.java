package io.promsuite.exporter.common.web;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Key and trust managers that ask the live web config for the current material on every
 * handshake, so one SSLContext serves a renewed certificate or a new client CA without a restart
 * (exporter-toolkit re-reads its files per connection for the same reason).
 */
final class LiveTls {
  private LiveTls() {}

  static final class KeyManager extends X509ExtendedKeyManager {
    private final Supplier<PemTls.Material> current;

    KeyManager(Supplier<PemTls.Material> current) {
      this.current = current;
    }

    private X509ExtendedKeyManager km() {
      return current.get().keyManager();
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return km().chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return km().chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return km().getServerAliases(keyType, issuers);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return km().getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return km().getPrivateKey(alias);
    }
  }

  static final class TrustManager extends X509ExtendedTrustManager {
    private final Supplier<PemTls.Material> current;

    TrustManager(Supplier<PemTls.Material> current) {
      this.current = current;
    }

    private X509TrustManager tm() throws CertificateException {
      X509TrustManager tm = current.get().trustManager();
      if (tm == null) {
        throw new CertificateException("no client_ca_file configured to verify client certificates");
      }
      return tm;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      if (tm() instanceof X509ExtendedTrustManager x) {
        x.checkClientTrusted(chain, authType, engine);
      } else {
        tm().checkClientTrusted(chain, authType);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      tm().checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      tm().checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("a server does not check server certificates");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("a server does not check server certificates");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("a server does not check server certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      X509TrustManager tm = current.get().trustManager();
      return tm == null ? new X509Certificate[0] : tm.getAcceptedIssuers();
    }
  }
}
