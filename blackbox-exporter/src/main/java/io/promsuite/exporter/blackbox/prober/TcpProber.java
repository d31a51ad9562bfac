package io.promsuite.exporter.blackbox.prober;

import io.promsuite.exporter.blackbox.config.Module;
import io.promsuite.exporter.blackbox.config.QueryResponse;
import io.promsuite.exporter.blackbox.config.TcpProbe;
import io.promsuite.exporter.common.config.http.TlsConfig;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.regex.Matcher;
import javax.net.ssl.SSLSocket;

/** The {@code tcp} prober: connect (optionally over TLS), then a send/expect dialogue with STARTTLS. */
public final class TcpProber implements Prober {
  private final Resolver resolver;

  public TcpProber(Resolver resolver) {
    this.resolver = resolver;
  }

  @Override
  public boolean probe(Deadline deadline, String target, Module module, ProbeSink sink, ProbeLog log) {
    TcpProbe cfg = module.tcp();
    ProbeSink.Gauge regex = sink.gauge("probe_failed_due_to_regex", "Indicates if probe failed due to regex");
    regex.set(0);
    HostPort hp = HostPort.parse(target, -1);
    if (hp == null) {
      log.error("Error splitting target address and port", "err", "address " + target + ": missing or invalid port in address");
      return false;
    }
    String host = hp.host();
    int port = hp.port();
    Resolver.Choice choice = resolver.chooseOrLog(host, cfg.preferredIpProtocol(), cfg.ipProtocolFallback(), sink, log);
    if (choice == null) {
      return false;
    }
    Socket socket = new Socket();
    try {
      if (!cfg.sourceIpAddress().isEmpty()) {
        log.info("Using local address", "srcIP", cfg.sourceIpAddress());
        socket.bind(new InetSocketAddress(InetAddress.ofLiteral(cfg.sourceIpAddress()), 0));
      }
      log.info(cfg.tls() ? "Dialing TCP with TLS" : "Dialing TCP without TLS");
      socket.connect(new InetSocketAddress(choice.address(), port), deadline.remainingMillis());
      if (cfg.tls()) {
        socket = startTls(socket, host, port, cfg.tlsConfig(), deadline, sink);
      }
      log.info("Successfully dialed");
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      List<QueryResponse> steps = cfg.queryResponse();
      for (int i = 0; i < steps.size(); i++) {
        QueryResponse qr = steps.get(i);
        log.info("Processing query response entry", "entry_number", i);
        String send = qr.send();
        if (qr.expect() != null) {
          Matcher match = null;
          String line;
          while (true) {
            socket.setSoTimeout(deadline.remainingMillis());
            line = readLine(in);
            if (line == null) {
              break;
            }
            log.debug("Read line", "line", line);
            Matcher m = qr.expect().matcher(line);
            if (m.find()) {
              match = m;
              log.info("Regexp matched", "regexp", qr.expect().pattern(), "line", line);
              break;
            }
          }
          if (match == null) {
            regex.set(1);
            log.error("Regexp did not match", "regexp", qr.expect().pattern(), "line", line == null ? "" : line);
            return false;
          }
          regex.set(0);
          send = expand(send, match);
        }
        if (!send.isEmpty()) {
          log.debug("Sending line", "line", send);
          out.write((send + "\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
        if (qr.starttls()) {
          socket = startTls(socket, host, port, cfg.tlsConfig(), deadline, sink);
          log.info("TLS Handshake (client) succeeded.");
          in = new BufferedInputStream(socket.getInputStream());
          out = socket.getOutputStream();
        }
      }
      return true;
    } catch (SocketTimeoutException e) {
      log.error("Error reading from connection", "err", "i/o timeout");
      return false;
    } catch (IOException | GeneralSecurityException e) {
      log.error("Error dialing TCP", "err", e.getMessage() == null ? "connection failed" : e.getMessage());
      return false;
    } finally {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Closing a probe socket cannot fail the probe.
      }
    }
  }

  private static Socket startTls(Socket plain, String host, int port, TlsConfig tls, Deadline deadline, ProbeSink sink)
      throws IOException, GeneralSecurityException {
    TlsSupport.Handshaken h = TlsSupport.handshake(plain, host, port, tls, deadline.remainingMillis());
    SSLSocket ssl = h.socket();
    TlsSupport.report(sink, ssl.getSession(), TlsSupport.verifiedChain(ssl.getSession(), h.client().trust(), h.client().insecure()));
    return ssl;
  }

  /** One line without its \n (and \r, as Go's bufio.Scanner drops it), or null at end of stream. */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      buf.write(c);
      if (buf.size() > 64 * 1024) {
        throw new IOException("bufio.Scanner: token too long");
      }
    }
    if (c < 0 && buf.size() == 0) {
      return null;
    }
    String s = buf.toString(StandardCharsets.UTF_8);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  /** Go's Regexp.Expand: $1, ${1}, $name, ${name} from the match; $$ is a dollar sign. */
  static String expand(String template, Matcher m) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c != '$' || i + 1 >= template.length()) {
        out.append(c);
        continue;
      }
      char n = template.charAt(i + 1);
      if (n == '$') {
        out.append('$');
        i++;
        continue;
      }
      String name;
      int end;
      if (n == '{') {
        int close = template.indexOf('}', i + 2);
        if (close < 0) {
          out.append(c);
          continue;
        }
        name = template.substring(i + 2, close);
        end = close;
      } else {
        int j = i + 1;
        while (j < template.length() && (Character.isLetterOrDigit(template.charAt(j)) || template.charAt(j) == '_')) {
          j++;
        }
        if (j == i + 1) {
          out.append(c);
          continue;
        }
        name = template.substring(i + 1, j);
        end = j - 1;
      }
      String value = null;
      try {
        value = name.matches("\\d+") ? m.group(Integer.parseInt(name)) : m.group(name);
      } catch (IllegalArgumentException | IndexOutOfBoundsException ignored) {
        // Go expands an unknown group to nothing.
      }
      out.append(value == null ? "" : value);
      i = end;
    }
    return out.toString();
  }
}
