package io.promsuite.exporter.blackbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A line-based TCP server on a free loopback port that plays a script per connection: lines
 * starting with {@code >} are sent, {@code <} waits for a line (recorded), {@code TLS} upgrades
 * the connection (server side), {@code CLOSE} hangs up. Optionally TLS from the first byte.
 */
final class BannerServer implements AutoCloseable {
  final ServerSocket server;
  final List<String> received = new CopyOnWriteArrayList<>();
  private final List<String> script;
  private final SSLContext tls;
  private final boolean tlsFromStart;

  BannerServer(List<String> script, SSLContext tls, boolean tlsFromStart) throws IOException {
    this.script = script;
    this.tls = tls;
    this.tlsFromStart = tlsFromStart;
    server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::accept);
  }

  String target() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread.ofVirtual().start(() -> play(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void play(Socket s) {
    try (Socket plain = s) {
      Socket sock = tlsFromStart ? upgrade(plain) : plain;
      sock.setSoTimeout(10_000);
      BufferedReader in = new BufferedReader(new InputStreamReader(sock.getInputStream(), StandardCharsets.UTF_8));
      PrintWriter out = new PrintWriter(sock.getOutputStream(), true, StandardCharsets.UTF_8);
      for (String step : script) {
        if (step.startsWith(">")) {
          out.print(step.substring(1) + "\r\n");
          out.flush();
        } else if (step.startsWith("<")) {
          String line = in.readLine();
          if (line == null) {
            return;
          }
          received.add(line);
        } else if (step.equals("CLOSE")) {
          return;
        } else if (step.equals("TLS")) {
          sock = upgrade(sock);
          in = new BufferedReader(new InputStreamReader(sock.getInputStream(), StandardCharsets.UTF_8));
          out = new PrintWriter(sock.getOutputStream(), true, StandardCharsets.UTF_8);
        }
      }
      // Leave the connection open briefly, as a real server would, so the prober closes first.
      sock.setSoTimeout(2000);
      in.readLine();
    } catch (IOException e) {
      // The prober may hang up at any point; that is what some tests check.
    }
  }

  private Socket upgrade(Socket s) throws IOException {
    SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, null, s.getPort(), true);
    ssl.setUseClientMode(false);
    ssl.startHandshake();
    return ssl;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
