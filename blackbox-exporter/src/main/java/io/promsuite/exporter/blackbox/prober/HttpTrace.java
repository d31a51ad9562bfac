package io.promsuite.exporter.blackbox.prober;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.EventListener;
import okhttp3.Handshake;
import okhttp3.Protocol;
import okhttp3.Response;

/**
 * OkHttp events of one HTTP probe, one {@link Hop} per request of the redirect chain, turned into
 * blackbox_exporter's phases (resolve, connect, tls, processing, transfer) the way its httptrace
 * hooks compute them.
 */
final class HttpTrace extends EventListener {
  /** Timestamps (System.nanoTime, 0 = never) of one round trip. */
  static final class Hop {
    long start;
    long dnsDone;
    long connectStart;
    long connectDone;
    long tlsStart;
    long tlsDone;
    long gotConn;
    long responseStart;
    long end;
    SSLSession session;
  }

  final List<Hop> hops = new ArrayList<>();

  synchronized Hop begin() {
    Hop h = new Hop();
    h.start = System.nanoTime();
    hops.add(h);
    return h;
  }

  private synchronized Hop current() {
    return hops.isEmpty() ? begin() : hops.getLast();
  }

  @Override
  public void dnsEnd(Call call, String domainName, List<InetAddress> inetAddressList) {
    Hop h = current();
    if (hops.size() > 1) {
      h.dnsDone = System.nanoTime();
    }
  }

  @Override
  public void connectStart(Call call, InetSocketAddress inetSocketAddress, Proxy proxy) {
    Hop h = current();
    h.connectStart = System.nanoTime();
    if (h.dnsDone == 0) {
      // Connected to an address directly (the first hop always is): no resolve phase, as in Go.
      h.start = h.connectStart;
      h.dnsDone = h.connectStart;
    }
  }

  @Override
  public void secureConnectStart(Call call) {
    Hop h = current();
    h.connectDone = System.nanoTime();
    h.tlsStart = h.connectDone;
  }

  @Override
  public void secureConnectEnd(Call call, Handshake handshake) {
    current().tlsDone = System.nanoTime();
  }

  @Override
  public void connectEnd(Call call, InetSocketAddress inetSocketAddress, Proxy proxy, Protocol protocol) {
    Hop h = current();
    if (h.connectDone == 0) {
      h.connectDone = System.nanoTime();
    }
  }

  @Override
  public void connectionAcquired(Call call, Connection connection) {
    Hop h = current();
    h.gotConn = System.nanoTime();
    if (h.dnsDone == 0) {
      h.dnsDone = h.gotConn;
    }
    if (connection.socket() instanceof SSLSocket ssl) {
      h.session = ssl.getSession();
    }
  }

  @Override
  public void responseHeadersEnd(Call call, Response response) {
    Hop h = current();
    if (h.responseStart == 0) {
      h.responseStart = System.nanoTime();
    }
  }

  @Override
  public void responseHeadersStart(Call call) {
    current().responseStart = System.nanoTime();
  }

  /** Marks the body of the current hop as fully read. */
  void bodyRead() {
    current().end = System.nanoTime();
  }

  /** Adds this probe's phases to probe_http_duration_seconds; the first hop's resolve is the handler's lookup. */
  synchronized void report(ProbeSink.Gauge phases, ProbeLog log) {
    for (int i = 0; i < hops.size(); i++) {
      Hop t = hops.get(i);
      log.info("Response timings for roundtrip", "roundtrip", i, "start", t.start, "dnsDone", t.dnsDone,
          "connectDone", t.connectDone, "gotConn", t.gotConn, "responseStart", t.responseStart,
          "tlsStart", t.tlsStart, "tlsDone", t.tlsDone, "end", t.end);
      if (i != 0 && t.dnsDone != 0) {
        phases.add(seconds(t.dnsDone - t.start), "resolve");
      }
      if (t.gotConn == 0) {
        continue;
      }
      if (t.tlsStart != 0) {
        phases.add(seconds(t.connectDone - t.dnsDone), "connect");
        phases.add(seconds(t.tlsDone - t.tlsStart), "tls");
      } else {
        phases.add(seconds(t.gotConn - t.dnsDone), "connect");
      }
      if (t.responseStart == 0) {
        continue;
      }
      phases.add(seconds(t.responseStart - t.gotConn), "processing");
      if (t.end == 0) {
        continue;
      }
      phases.add(seconds(t.end - t.responseStart), "transfer");
    }
  }

  private static double seconds(long nanos) {
    return Math.max(0, nanos) / 1e9;
  }
}
