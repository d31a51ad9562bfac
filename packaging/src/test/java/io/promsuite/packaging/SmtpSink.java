package io.promsuite.packaging;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The receiving end of SMTP on 127.0.0.1, just enough for Alertmanager's email notifier: it
 * offers AUTH PLAIN (no TLS), records the credentials and every message.
 */
final class SmtpSink implements AutoCloseable {
  /** One delivered message with the AUTH PLAIN credentials of its session. */
  record Mail(String username, String password, String from, List<String> to, String data) {}

  private final ServerSocket socket;
  private final List<Mail> mails = new CopyOnWriteArrayList<>();

  SmtpSink() {
    try {
      socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread.ofVirtual().start(this::accept);
  }

  int port() {
    return socket.getLocalPort();
  }

  List<Mail> mails() {
    return List.copyOf(mails);
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        Thread.ofVirtual().start(() -> session(client));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void session(Socket client) {
    try (client;
        var in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
      OutputStream out = client.getOutputStream();
      reply(out, "220 127.0.0.1 ESMTP promsuite-test");
      String user = null;
      String password = null;
      String from = null;
      List<String> to = new CopyOnWriteArrayList<>();
      for (String line; (line = in.readLine()) != null; ) {
        String upper = line.toUpperCase(java.util.Locale.ROOT);
        if (upper.startsWith("EHLO") || upper.startsWith("HELO")) {
          reply(out, "250-127.0.0.1\r\n250 AUTH PLAIN");
        } else if (upper.startsWith("AUTH PLAIN")) {
          // Initial response: base64(authzid NUL user NUL password).
          String[] parts = new String(Base64.getDecoder().decode(line.substring(10).trim()), StandardCharsets.UTF_8)
              .split("\0", -1);
          user = parts[1];
          password = parts[2];
          reply(out, "235 2.7.0 Authentication successful");
        } else if (upper.startsWith("MAIL FROM:")) {
          from = line.substring(10).trim();
          reply(out, "250 OK");
        } else if (upper.startsWith("RCPT TO:")) {
          to.add(line.substring(8).trim());
          reply(out, "250 OK");
        } else if (upper.equals("DATA")) {
          reply(out, "354 End data with <CR><LF>.<CR><LF>");
          var data = new StringBuilder();
          for (String d; (d = in.readLine()) != null && !d.equals("."); ) {
            data.append(d).append('\n');
          }
          mails.add(new Mail(user, password, from, List.copyOf(to), data.toString()));
          reply(out, "250 OK queued");
        } else if (upper.equals("QUIT")) {
          reply(out, "221 Bye");
          return;
        } else {
          reply(out, "250 OK");
        }
      }
    } catch (IOException e) {
      // The client hung up; what it delivered is recorded.
    }
  }

  private static void reply(OutputStream out, String text) throws IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
