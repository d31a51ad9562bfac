package io.promsuite.exporter.blackbox.prober;

import io.promsuite.exporter.common.tls.Pem;
import io.promsuite.exporter.common.tls.TrustAll;
import io.promsuite.exporter.common.config.http.TlsConfig;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;

/**
 * Client TLS for probers from a {@code tls_config} (CA file, client certificate, verification,
 * versions), and the TLS metrics blackbox_exporter reports for a handshake.
 */
public final class TlsSupport {
  /** A ready client context with the trust manager OkHttp needs alongside it. */
  public record Client(SSLContext context, X509TrustManager trust, String[] protocols, boolean insecure) {}

  private static final List<String> GO = List.of("TLS10", "TLS11", "TLS12", "TLS13");
  private static final List<String> JSSE = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

  private TlsSupport() {}

  public static Client client(TlsConfig cfg) throws IOException, GeneralSecurityException {
    X509TrustManager trust;
    if (cfg.insecureSkipVerify()) {
      trust = new TrustAll();
    } else {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (cfg.caFile().isEmpty()) {
        tmf.init((KeyStore) null);
      } else {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        int i = 0;
        for (X509Certificate c : Pem.certificates(Path.of(cfg.caFile()))) {
          ks.setCertificateEntry("ca" + i++, c);
        }
        if (i == 0) {
          throw new IOException("ca_file " + cfg.caFile() + ": no PEM certificate found");
        }
        tmf.init(ks);
      }
      trust = (X509TrustManager) Arrays.stream(tmf.getTrustManagers()).filter(t -> t instanceof X509TrustManager)
          .findFirst().orElseThrow();
    }
    KeyManagerFactory kmf = null;
    if (!cfg.certFile().isEmpty()) {
      List<X509Certificate> chain = Pem.certificates(Path.of(cfg.certFile()));
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("client", Pem.privateKey(Path.of(cfg.keyFile())), new char[0], chain.toArray(Certificate[]::new));
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), new TrustManager[] {trust}, null);
    return new Client(ctx, trust, protocols(cfg), cfg.insecureSkipVerify());
  }

  /** The JSSE protocol names from min_version to max_version (TLS 1.2 to 1.3 by default). */
  /** A socket after its TLS handshake, and the client settings it was made with. */
  record Handshaken(SSLSocket socket, Client client) {}

  /**
   * Wraps a connected socket in TLS and completes the handshake, as Go's tls.Client does for the
   * tcp and dns probers: the name checked against the certificate and sent as SNI (unless it is an
   * address) is tls_config's server_name, else {@code host}.
   */
  static Handshaken handshake(Socket plain, String host, int port, TlsConfig tls, int timeoutMillis)
      throws IOException, GeneralSecurityException {
    Client client = client(tls);
    String name = tls.serverName().isEmpty() ? host : tls.serverName();
    // Created for the name, not the host connected to: JSSE checks a failed SNI name again against
    // the socket's host, which would let a certificate for the address pass a server_name check.
    SSLSocket ssl = (SSLSocket) client.context().getSocketFactory()
        .createSocket(plain, name, port, true);
    SSLParameters p = ssl.getSSLParameters();
    p.setProtocols(client.protocols());
    if (!client.insecure()) {
      p.setEndpointIdentificationAlgorithm("HTTPS");
    }
    if (!HttpClients.isAddress(name)) {
      p.setServerNames(List.of(new SNIHostName(name)));
    }
    ssl.setSSLParameters(p);
    ssl.setSoTimeout(timeoutMillis);
    ssl.startHandshake();
    return new Handshaken(ssl, client);
  }

  static String[] protocols(TlsConfig cfg) throws GeneralSecurityException {
    int min = cfg.minVersion().isEmpty() ? GO.indexOf("TLS12") : GO.indexOf(cfg.minVersion());
    int max = cfg.maxVersion().isEmpty() ? GO.size() - 1 : GO.indexOf(cfg.maxVersion());
    if (min > max) {
      throw new GeneralSecurityException("tls_config min_version " + GO.get(min) + " is above max_version " + GO.get(max));
    }
    return JSSE.subList(min, max + 1).toArray(String[]::new);
  }

  /**
   * Writes probe_ssl_* and probe_tls_* for a handshake. {@code verified} is the chain up to a
   * trusted root (empty when verification was skipped, as in Go, which then reports year 1).
   */
  public static void report(ProbeSink sink, SSLSession session, List<X509Certificate> verified) {
    List<X509Certificate> peer = new ArrayList<>();
    try {
      for (Certificate c : session.getPeerCertificates()) {
        peer.add((X509Certificate) c);
      }
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      return;
    }
    if (peer.isEmpty()) {
      return;
    }
    long earliest = peer.stream().mapToLong(c -> c.getNotAfter().getTime() / 1000).min().orElse(GO_ZERO_TIME);
    long lastChain = verified.isEmpty() ? GO_ZERO_TIME
        : verified.stream().mapToLong(c -> c.getNotAfter().getTime() / 1000).min().orElse(GO_ZERO_TIME);
    X509Certificate leaf = peer.getFirst();
    sink.gauge("probe_ssl_earliest_cert_expiry", "Returns last SSL chain expiry in unixtime").set(earliest);
    sink.gauge("probe_ssl_last_chain_expiry_timestamp_seconds", "Returns last SSL chain expiry in timestamp")
        .set(lastChain);
    sink.info("probe_ssl_last_chain_info", "Contains SSL leaf certificate information",
        "fingerprint_sha256", "subject", "issuer", "subjectalternative")
        .set(1, fingerprint(leaf), name(leaf.getSubjectX500Principal()), name(leaf.getIssuerX500Principal()),
            dnsNames(leaf));
    sink.info("probe_tls_version_info", "Returns the TLS version used or NaN when unknown", "version")
        .set(1, tlsVersion(session.getProtocol()));
    sink.info("probe_tls_cipher_info", "Returns the TLS cipher negotiated during handshake", "cipher")
        .set(1, session.getCipherSuite());
  }

  /** Go's zero time.Time as Unix seconds: what blackbox_exporter reports when there is no verified chain. */
  static final long GO_ZERO_TIME = -62135596800L;

  /** The verified chain: the peer's certificates up to and including the trusted root that issued the last. */
  public static List<X509Certificate> verifiedChain(SSLSession session, X509TrustManager trust, boolean insecure) {
    if (insecure) {
      return List.of();
    }
    List<X509Certificate> chain = new ArrayList<>();
    try {
      for (Certificate c : session.getPeerCertificates()) {
        chain.add((X509Certificate) c);
      }
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      return List.of();
    }
    X509Certificate last = chain.getLast();
    if (!last.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
      for (X509Certificate root : trust.getAcceptedIssuers()) {
        if (root.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
          try {
            last.verify(root.getPublicKey());
            chain.add(root);
            break;
          } catch (GeneralSecurityException ignored) {
            // Same name, different key: keep looking.
          }
        }
      }
    }
    return chain;
  }

  static String tlsVersion(String protocol) {
    return switch (protocol) {
      case "TLSv1" -> "TLS 1.0";
      case "TLSv1.1" -> "TLS 1.1";
      case "TLSv1.2" -> "TLS 1.2";
      case "TLSv1.3" -> "TLS 1.3";
      default -> "unknown";
    };
  }

  static String fingerprint(X509Certificate c) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
    } catch (GeneralSecurityException e) {
      return "";
    }
  }

  /** Attribute types in the order Go's pkix.Name.String() prints them (the reverse of ToRDNSequence). */
  private static final List<String> GO_ORDER = List.of("SERIALNUMBER", "CN", "OU", "O", "POSTALCODE", "STREET", "L", "ST", "C");
  private static final java.util.Map<String, String> OIDS = java.util.Map.of(
      "2.5.4.5", "SERIALNUMBER", "2.5.4.17", "POSTALCODE");

  /**
   * Go's pkix.Name.String(): known attributes in Go's fixed order whatever the certificate's
   * order (several values of one type joined by {@code +}), other attributes after them.
   */
  static String name(X500Principal p) {
    java.util.Map<String, List<String>> known = new java.util.LinkedHashMap<>();
    List<String> other = new ArrayList<>();
    try {
      for (javax.naming.ldap.Rdn rdn : new javax.naming.ldap.LdapName(p.getName(X500Principal.RFC2253)).getRdns()) {
        String type = rdn.getType().toUpperCase(java.util.Locale.ROOT);
        type = OIDS.getOrDefault(type, type);
        String value = javax.naming.ldap.Rdn.escapeValue(rdn.getValue());
        if (GO_ORDER.contains(type)) {
          known.computeIfAbsent(type, k -> new ArrayList<>()).add(type + "=" + value);
        } else {
          other.add(rdn.getType() + "=" + value);
        }
      }
    } catch (javax.naming.InvalidNameException e) {
      return p.getName(X500Principal.RFC2253);
    }
    List<String> parts = new ArrayList<>();
    for (String type : GO_ORDER) {
      if (known.containsKey(type)) {
        parts.add(String.join("+", known.get(type)));
      }
    }
    parts.addAll(other);
    return String.join(",", parts);
  }

  static String dnsNames(X509Certificate c) {
    try {
      var sans = c.getSubjectAlternativeNames();
      if (sans == null) {
        return "";
      }
      List<String> dns = new ArrayList<>();
      for (List<?> san : sans) {
        if (Integer.valueOf(2).equals(san.get(0))) {
          dns.add(String.valueOf(san.get(1)));
        }
      }
      return String.join(",", dns);
    } catch (java.security.cert.CertificateParsingException e) {
      return "";
    }
  }
}
