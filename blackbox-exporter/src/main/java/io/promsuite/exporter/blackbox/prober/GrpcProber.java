package io.promsuite.exporter.blackbox.prober;

import io.promsuite.exporter.blackbox.config.GrpcProbe;
import io.promsuite.exporter.blackbox.config.Module;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The {@code grpc} prober: the standard health check ({@code grpc.health.v1.Health/Check} for
 * {@code service}) over HTTP/2, with TLS (ALPN) or in clear text (prior knowledge). The protobuf
 * messages are one string field out and one enum field back, so they are written by hand.
 */
public final class GrpcProber implements Prober {
  static final List<String> SERVING_STATUS = List.of("UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN");
  private static final MediaType GRPC = MediaType.get("application/grpc");
  /** gRPC's UNAVAILABLE, which grpc-go reports when it cannot connect. */
  private static final int UNAVAILABLE = 14;

  private final Resolver resolver;
  private final OkHttpClient clear;

  public GrpcProber(Resolver resolver) {
    this.resolver = resolver;
    // Clear text only: with OkHttp's default (TLS and clear) specs the builder would set up the
    // platform's TLS context and trust store here, for a client that never speaks TLS.
    this.clear = new OkHttpClient.Builder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE))
        .connectionSpecs(List.of(okhttp3.ConnectionSpec.CLEARTEXT))
        .retryOnConnectionFailure(false).connectionPool(new okhttp3.ConnectionPool(0, 1, TimeUnit.SECONDS)).build();
  }

  @Override
  public boolean probe(Deadline deadline, String target, Module module, ProbeSink sink, ProbeLog log) {
    GrpcProbe cfg = module.grpc();
    ProbeSink.Gauge phases = sink.gauge("probe_grpc_duration_seconds", "Duration of gRPC request by phase", "phase");
    ProbeSink.Gauge ssl = sink.gauge("probe_grpc_ssl", "Indicates if SSL was used for the connection");
    ProbeSink.Gauge statusCode = sink.gauge("probe_grpc_status_code", "Response gRPC status code");
    ProbeSink.Gauge health = sink.gauge("probe_grpc_healthcheck_response", "Response HealthCheck response", "serving_status");
    phases.add(0, "resolve");
    ssl.set(0);
    statusCode.set(0);
    // Registered unconditionally by blackbox_exporter, so 0 without TLS.
    sink.gauge("probe_ssl_earliest_cert_expiry", "Returns last SSL chain expiry in unixtime").set(0);
    String t = target.replaceFirst("^https?://", "");
    HostPort hp = HostPort.parse(t, cfg.tls() ? 443 : 80);
    if (hp == null) {
      log.error("Could not parse target URL", "err", "invalid target " + target);
      return false;
    }
    Resolver.Choice choice = resolver.chooseOrLog(hp.host(), cfg.preferredIpProtocol(), cfg.ipProtocolFallback(), sink, log);
    if (choice == null) {
      return false;
    }
    phases.add(choice.lookupSeconds(), "resolve");
    long checkStart = System.nanoTime();
    OkHttpClient client;
    SessionCapture session = new SessionCapture();
    try {
      client = client(cfg, hp.host(), choice.address(), session);
    } catch (IOException | java.security.GeneralSecurityException e) {
      log.error("Error creating TLS configuration", "err", e.getMessage());
      return false;
    }
    String url = (cfg.tls() ? "https://" : "http://") + (hp.host().contains(":") ? "[" + hp.host() + "]" : hp.host())
        + ":" + hp.port() + "/grpc.health.v1.Health/Check";
    Request request = new Request.Builder().url(url).header("te", "trailers").header("user-agent", "Blackbox Exporter")
        .post(RequestBody.create(frame(cfg.service()), GRPC)).build();
    var call = client.newCall(request);
    call.timeout().timeout(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
    String servingStatus = "";
    int code;
    String verifyName = cfg.tlsConfig().serverName().isEmpty() ? hp.host() : cfg.tlsConfig().serverName();
    HttpClients.CURRENT.set(new HttpClients.TlsName(hp.host(), verifyName));
    try (Response resp = call.execute()) {
      byte[] body = resp.body() == null ? new byte[0] : resp.body().bytes();
      Headers trailers = resp.trailers();
      String grpcStatus = trailers.get("grpc-status") != null ? trailers.get("grpc-status") : resp.header("grpc-status");
      code = grpcStatus == null ? 2 : Integer.parseInt(grpcStatus.trim());
      if (code == 0) {
        servingStatus = SERVING_STATUS.get(Math.min(3, Math.max(0, status(body))));
      } else {
        String message = trailers.get("grpc-message") != null ? trailers.get("grpc-message") : resp.header("grpc-message");
        log.error("can't connect grpc server:", "err", "rpc error: code = " + code + " desc = " + message);
      }
      if (session.session != null) {
        ssl.set(1);
        TlsSupport.report(sink, session.session, List.of());
        sink.remove("probe_ssl_last_chain_expiry_timestamp_seconds"); // Not reported by the grpc prober.
      }
    } catch (IOException | NumberFormatException e) {
      code = UNAVAILABLE;
      StringBuilder why = new StringBuilder(String.valueOf(e.getMessage()));
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
        why.append(": ").append(c.getMessage());
      }
      log.error("can't connect grpc server:", "err", why);
    } finally {
      HttpClients.CURRENT.remove();
    }
    phases.add((System.nanoTime() - checkStart) / 1e9, "check");
    for (String s : SERVING_STATUS) {
      health.set(s.equals(servingStatus) ? 1 : 0, s);
    }
    statusCode.set(code);
    return code == 0 && servingStatus.equals("SERVING");
  }

  private OkHttpClient client(GrpcProbe cfg, String host, InetAddress address, SessionCapture session)
      throws IOException, java.security.GeneralSecurityException {
    return (cfg.tls() ? tlsBase(cfg) : clear).newBuilder()
        .eventListener(session)
        .dns(name -> {
          if (name.equalsIgnoreCase(host)) {
            return List.of(address);
          }
          try {
            return resolver.rules().resolve(name);
          } catch (TargetRules.Refused e) {
            throw new java.net.UnknownHostException(e.getMessage());
          }
        })
        .build();
  }

  private final java.util.Map<GrpcProbe, OkHttpClient> tlsClients = new java.util.WeakHashMap<>();

  /** One TLS client per module section (see {@link HttpClients}: the name to verify reaches it per probe). */
  private OkHttpClient tlsBase(GrpcProbe cfg) throws IOException, java.security.GeneralSecurityException {
    synchronized (tlsClients) {
      OkHttpClient c = tlsClients.get(cfg);
      if (c == null) {
        TlsSupport.Client tls = TlsSupport.client(cfg.tlsConfig());
        c = new OkHttpClient.Builder().protocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1))
            .retryOnConnectionFailure(false).connectionPool(new okhttp3.ConnectionPool(0, 1, TimeUnit.SECONDS))
            .fastFallback(false)
            .sslSocketFactory(HttpClients.sslFor(tls), tls.trust())
            .hostnameVerifier((h, s) -> true)
            .build();
        tlsClients.put(cfg, c);
      }
      return c;
    }
  }

  /** Keeps the TLS session of the probe's connection for the certificate metrics. */
  private static final class SessionCapture extends okhttp3.EventListener {
    volatile javax.net.ssl.SSLSession session;

    @Override
    public void connectionAcquired(okhttp3.Call call, okhttp3.Connection connection) {
      if (connection.socket() instanceof javax.net.ssl.SSLSocket s) {
        session = s.getSession();
      }
    }
  }

  /** The length-prefixed HealthCheckRequest: field 1 (service) as a string when not empty. */
  static byte[] frame(String service) {
    byte[] s = service.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream msg = new ByteArrayOutputStream();
    if (s.length > 0) {
      msg.write(0x0a);
      for (int v = s.length; ; v >>>= 7) {
        if ((v & ~0x7f) == 0) {
          msg.write(v);
          break;
        }
        msg.write((v & 0x7f) | 0x80);
      }
      msg.writeBytes(s);
    }
    byte[] m = msg.toByteArray();
    byte[] out = new byte[5 + m.length];
    out[1] = (byte) (m.length >>> 24);
    out[2] = (byte) (m.length >>> 16);
    out[3] = (byte) (m.length >>> 8);
    out[4] = (byte) m.length;
    System.arraycopy(m, 0, out, 5, m.length);
    return out;
  }

  /** The status (field 1, varint) of the HealthCheckResponse in the first frame; 0 (UNKNOWN) when absent. */
  static int status(byte[] body) {
    if (body.length < 5 || body[0] != 0) {
      return 0;
    }
    int len = ((body[1] & 0xff) << 24) | ((body[2] & 0xff) << 16) | ((body[3] & 0xff) << 8) | (body[4] & 0xff);
    int end = Math.min(body.length, 5 + len);
    for (int i = 5; i < end; ) {
      int key = body[i++] & 0xff;
      if (key == 0x08) {
        int v = 0;
        for (int shift = 0; i < end; shift += 7) {
          int b = body[i++] & 0xff;
          v |= (b & 0x7f) << shift;
          if ((b & 0x80) == 0) {
            break;
          }
        }
        return v;
      }
      return 0; // An unknown field: the status is not there.
    }
    return 0;
  }
}
