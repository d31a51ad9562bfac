package io.promsuite.exporter.blackbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A server on one loopback address and port, TCP and UDP, that writes every arrival to its own
 * access log before anything else: the evidence that a probe reached it, or did not. Answers HTTP
 * requests with 200, or with a 302 to {@code url} for {@code /to?url=}.
 */
final class LoggingServer implements AutoCloseable {
  final String address;
  final int port;
  final Path log;
  private final ServerSocket tcp;
  private final DatagramSocket udp;

  LoggingServer(String address) throws IOException {
    InetAddress bind = InetAddress.ofLiteral(address);
    ServerSocket t = null;
    DatagramSocket u = null;
    // The same free port for TCP and UDP: tcp, dns/tcp and dns/udp probes all aim at address:port.
    for (int attempt = 0; u == null; attempt++) {
      t = new ServerSocket(0, 50, bind);
      try {
        u = new DatagramSocket(new InetSocketAddress(bind, t.getLocalPort()));
      } catch (IOException e) {
        t.close();
        if (attempt > 20) {
          throw e;
        }
      }
    }
    this.address = address;
    this.tcp = t;
    this.udp = u;
    this.port = t.getLocalPort();
    this.log = Files.createTempFile("access-" + address, ".log");
    Thread.ofVirtual().start(this::acceptLoop);
    Thread.ofVirtual().start(this::udpLoop);
  }

  /** The access log so far. */
  String accessLog() throws IOException {
    return Files.readString(log);
  }

  String url(String path) {
    return "http://" + address + ":" + port + path;
  }

  private synchronized void record(String line) {
    try {
      Files.writeString(log, line + "\n", StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IllegalStateException("access log " + log + " not writable", e);
    }
  }

  private void acceptLoop() {
    while (!tcp.isClosed()) {
      try {
        Socket s = tcp.accept();
        record("tcp connection from " + s.getRemoteSocketAddress());
        Thread.ofVirtual().start(() -> serve(s));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      s.setSoTimeout(3000);
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      String first = in.readLine();
      record("tcp request " + first);
      if (first == null || !first.matches("(GET|HEAD|POST) \\S+ HTTP/1\\.[01]")) {
        return;
      }
      while (true) {
        String h = in.readLine();
        if (h == null || h.isEmpty()) {
          break;
        }
        if (h.regionMatches(true, 0, "Host:", 0, 5)) {
          record("tcp header " + h);
        }
      }
      String path = first.split(" ")[1];
      String head = path.startsWith("/to?url=")
          ? "HTTP/1.1 302 Found\r\nLocation: " + URLDecoder.decode(path.substring(8), StandardCharsets.UTF_8) + "\r\n"
          : "HTTP/1.1 200 OK\r\n";
      OutputStream out = s.getOutputStream();
      out.write((head + "Content-Length: 3\r\nConnection: close\r\n\r\nok\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    } catch (IOException e) {
      record("tcp error " + e.getMessage());
    }
  }

  private void udpLoop() {
    byte[] buf = new byte[2048];
    while (!udp.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        udp.receive(p);
        record("udp datagram from " + p.getSocketAddress() + " " + p.getLength() + " bytes");
      } catch (IOException e) {
        return;
      }
    }
  }

  @Override
  public void close() throws IOException {
    tcp.close();
    udp.close();
    Files.deleteIfExists(log);
  }
}
