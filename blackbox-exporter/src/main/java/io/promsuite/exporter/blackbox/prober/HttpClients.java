package io.promsuite.exporter.blackbox.prober;

import io.promsuite.exporter.blackbox.config.HttpProbe;
import io.promsuite.exporter.common.config.http.TlsConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.Cookie;
import okhttp3.CookieJar;
import okhttp3.Dns;
import okhttp3.EventListener;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * One OkHttp client per {@code http:} module section (TLS context, proxy, HTTP/2), built once and
 * reused; a probe derives a light client from it with its own DNS answer, events and TLS name.
 * Connections are never kept alive, so every probe measures a real connect, as blackbox_exporter does.
 * A module whose tls_config names no file gets a clear-text client until its first https URL: the
 * TLS context (JSSE, the system trust store, OkHttp's trust-root index) costs ~4 MiB of memory,
 * which an exporter that probes only http:// targets never needs.
 */
final class HttpClients {
  /** A module's client and its TLS settings ({@code tls} is null for a clear-text-only client). */
  record Base(OkHttpClient client, TlsSupport.Client tls) {}

  private final Map<HttpProbe, Base> clear = new WeakHashMap<>();
  private final Map<HttpProbe, Base> withTls = new WeakHashMap<>();
  private final ConnectionPool noKeepAlive = new ConnectionPool(0, 1, TimeUnit.SECONDS);
  private final TargetRules rules;

  HttpClients(TargetRules rules) {
    this.rules = rules;
  }

  /**
   * The module's client for a request to an https URL ({@code https}) or a clear one. A tls_config
   * with files gets its TLS client at once, so a missing or bad file fails every probe of the
   * module, as in blackbox_exporter, whatever the target's scheme.
   */
  Base base(HttpProbe cfg, boolean https) throws IOException, GeneralSecurityException {
    TlsConfig t = cfg.client().tlsConfig();
    boolean tls = https || !t.caFile().isEmpty() || !t.certFile().isEmpty();
    Map<HttpProbe, Base> cache = tls ? withTls : clear;
    synchronized (cache) {
      Base b = cache.get(cfg);
      if (b == null) {
        if (!tls) {
          TlsSupport.protocols(t); // The one check of a file-less tls_config (min above max) fails as early as before.
        }
        b = build(cfg, tls);
        cache.put(cfg, b);
      }
      return b;
    }
  }

  /**
   * The client of one probe: the module's client with the probe's events, DNS answer and cookies;
   * under target rules its sockets connect only to addresses in {@code admitted} (what the probe's
   * rule checks returned) or to addresses the rules allow on their own.
   */
  OkHttpClient forProbe(Base base, EventListener events, Dns dns, CookieJar cookies, Set<InetAddress> admitted) {
    OkHttpClient.Builder b = base.client().newBuilder().eventListener(events).dns(dns).cookieJar(cookies);
    if (!rules.isOpen()) {
      b.socketFactory(new GuardedSockets(rules, admitted));
    }
    return b.build();
  }

  /** The cookies of one probe: what the redirects set is sent on (Go's client with a cookie jar). */
  static CookieJar probeCookies() {
    List<Cookie> cookies = new ArrayList<>();
    return new CookieJar() {
      @Override
      public void saveFromResponse(HttpUrl u, List<Cookie> list) {
        synchronized (cookies) {
          cookies.addAll(list);
        }
      }

      @Override
      public List<Cookie> loadForRequest(HttpUrl u) {
        synchronized (cookies) {
          return cookies.stream().filter(c -> c.matches(u)).toList();
        }
      }
    };
  }

  private Base build(HttpProbe cfg, boolean withTls) throws IOException, GeneralSecurityException {
    TlsSupport.Client tls = withTls ? TlsSupport.client(cfg.client().tlsConfig()) : null;
    OkHttpClient.Builder b = new OkHttpClient.Builder()
        .connectionPool(noKeepAlive)
        .followRedirects(false)
        .followSslRedirects(false)
        .retryOnConnectionFailure(false)
        .protocols(cfg.client().enableHttp2() ? List.of(okhttp3.Protocol.HTTP_2, okhttp3.Protocol.HTTP_1_1)
            : List.of(okhttp3.Protocol.HTTP_1_1))
        // Connects on the calling thread, so the probe's TLS name (a thread-local) reaches the socket factory.
        .fastFallback(false);
    if (tls != null) {
      ConnectionSpec spec = new ConnectionSpec.Builder(ConnectionSpec.MODERN_TLS)
          .allEnabledCipherSuites().tlsVersions(tls.protocols()).build();
      b.connectionSpecs(List.of(spec, ConnectionSpec.CLEARTEXT))
          .sslSocketFactory(sslFor(tls), tls.trust())
          .hostnameVerifier((host, session) -> true); // JSSE checks the name during the handshake (see sslFor).
    } else {
      b.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
    }
    b.proxy(proxy(cfg.client().proxyUrl()));
    return new Base(b.build(), tls);
  }

  /** An http:// proxy_url as a proxy (resolved when connecting), or no proxy when empty. */
  static Proxy proxy(String proxyUrl) {
    if (proxyUrl.isEmpty()) {
      return Proxy.NO_PROXY;
    }
    URI u = URI.create(proxyUrl);
    return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(u.getHost(), u.getPort() < 0 ? 80 : u.getPort()));
  }

  /** The TLS name of the probe running on this thread: its target host and the name to verify there. */
  record TlsName(String targetHost, String verifyName) {}

  static final ThreadLocal<TlsName> CURRENT = new ThreadLocal<>();

  /**
   * The SSL socket factory of a module's client: verifies the server against the probe's verify
   * name (tls_config server_name or Host header) when the connection is to the probe's target
   * host, else against the host connected to, and sends that name as SNI unless it is an address.
   * The probe's names come from {@link #CURRENT}: building a client per probe instead would rebuild
   * OkHttp's trust-root index every time.
   */
  static SSLSocketFactory sslFor(TlsSupport.Client tls) {
    SSLSocketFactory delegate = tls.context().getSocketFactory();
    return new SSLSocketFactory() {
      /** The name to verify for a connection to {@code host}: the probe's verify name on its own target. */
      private String nameFor(String host) {
        TlsName probe = CURRENT.get();
        return probe != null && host != null && host.equalsIgnoreCase(probe.targetHost())
            && !probe.verifyName().isEmpty() ? probe.verifyName() : host;
      }

      private Socket configure(Socket s, String name) {
        if (s instanceof SSLSocket ssl) {
          SSLParameters p = ssl.getSSLParameters();
          if (!tls.insecure()) {
            p.setEndpointIdentificationAlgorithm("HTTPS");
          }
          if (name != null && !isAddress(name)) {
            p.setServerNames(List.of(new SNIHostName(name)));
          }
          ssl.setSSLParameters(p);
        }
        return s;
      }

      @Override
      public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        // Created for the verify name: JSSE checks a failed SNI name again against the socket's
        // host, which would let a certificate for the target pass a server_name check.
        String name = nameFor(host);
        return configure(delegate.createSocket(s, name, port, autoClose), name);
      }

      @Override
      public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
      }

      @Override
      public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
      }

      @Override
      public Socket createSocket(String host, int port) throws IOException {
        return configure(delegate.createSocket(host, port), nameFor(host));
      }

      @Override
      public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return configure(delegate.createSocket(host, port, localHost, localPort), nameFor(host));
      }

      @Override
      public Socket createSocket(InetAddress host, int port) throws IOException {
        return delegate.createSocket(host, port);
      }

      @Override
      public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
          throws IOException {
        return delegate.createSocket(address, port, localAddress, localPort);
      }
    };
  }

  static boolean isAddress(String host) {
    return host.matches("[0-9.]+") || host.contains(":");
  }

  /**
   * Plain sockets of one probe that connect only to an address its rule checks admitted, or one
   * the rules allow on their own (a proxy given as an address): the last line behind the checks of
   * the target and of every redirect hop. An unresolved endpoint is refused: nothing resolves here.
   */
  static final class GuardedSockets extends SocketFactory {
    private final TargetRules rules;
    private final Set<InetAddress> admitted;

    GuardedSockets(TargetRules rules, Set<InetAddress> admitted) {
      this.rules = rules;
      this.admitted = admitted;
    }

    @Override
    public Socket createSocket() {
      return new Socket() {
        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
          if (!(endpoint instanceof InetSocketAddress isa) || isa.getAddress() == null) {
            throw new IOException("refused by the exporter's rules: an unresolved address");
          }
          InetAddress a = AddressForms.canonical(isa.getAddress());
          if (!admitted.contains(a)) {
            String denied = rules.checkAddress(a);
            if (denied != null) {
              throw new IOException(denied);
            }
          }
          super.connect(new InetSocketAddress(a, isa.getPort()), timeout);
        }
      };
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      Socket s = createSocket();
      s.connect(new InetSocketAddress(host, port));
      return s;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
      Socket s = createSocket();
      s.bind(new InetSocketAddress(localHost, localPort));
      s.connect(new InetSocketAddress(host, port));
      return s;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      Socket s = createSocket();
      s.connect(new InetSocketAddress(host, port));
      return s;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
        throws IOException {
      Socket s = createSocket();
      s.bind(new InetSocketAddress(localAddress, localPort));
      s.connect(new InetSocketAddress(address, port));
      return s;
    }
  }
}
