package io.promsuite.exporter.common.web;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The server's one key and certificate chain as a key manager, without a KeyStore: a PKCS#12 store
 * encrypts the key on the way in and decrypts it on the way out (PBKDF2, 10,000 rounds each), which
 * cost more start-up time than all the rest of the TLS set-up on a cold JVM.
 */
final class FixedKeyManager extends X509ExtendedKeyManager {
  private static final String ALIAS = "server";
  private final PrivateKey key;
  private final X509Certificate[] chain;

  FixedKeyManager(PrivateKey key, List<X509Certificate> chain) {
    this.key = key;
    this.chain = chain.toArray(X509Certificate[]::new);
  }

  /** JSSE asks for the key type a cipher suite or signature scheme needs: EC, RSA, RSASSA-PSS, EdDSA... */
  private boolean fits(String keyType) {
    String algorithm = key.getAlgorithm();
    return keyType.equals(algorithm)
        || keyType.startsWith(algorithm + "_")
        || (algorithm.equals("RSA") && keyType.equals("RSASSA-PSS"))
        || (algorithm.equals("EdDSA") && (keyType.equals("Ed25519") || keyType.equals("Ed448")));
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return fits(keyType) ? new String[] {ALIAS} : null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return fits(keyType) ? ALIAS : null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return fits(keyType) ? ALIAS : null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}
