package io.promsuite.exporter.common.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** HTTP GET over a unix socket (the JDK's HttpClient has no unix sockets), for a daemon's API such as dockerd's. */
public final class UnixSocketHttp {
  private UnixSocketHttp() {}

  /** The body of a 2xx answer to {@code GET path}; an IOException with the status line and body otherwise. */
  public static String get(Path socket, String path, Duration timeout) throws IOException {
    String response;
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      // HTTP/1.0: the server sends the body unchunked and closes the connection after it.
      ByteBuffer request = ByteBuffer.wrap(("GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      while (request.hasRemaining()) {
        channel.write(request);
      }
      // A blocking read has no timeout of its own: closing the channel ends it.
      Thread watchdog = Thread.ofVirtual().start(() -> {
        try {
          Thread.sleep(timeout);
          channel.close();
        } catch (InterruptedException | IOException e) {
          // Answered in time.
        }
      });
      try {
        response = new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IOException("GET " + path + " on " + socket + ": no complete answer within " + timeout + " (" + e + ")", e);
      } finally {
        watchdog.interrupt();
      }
    }
    String status = response.lines().findFirst().orElse("<empty answer>");
    int headEnd = response.indexOf("\r\n\r\n");
    String body = headEnd < 0 ? "" : response.substring(headEnd + 4);
    if (!status.matches("HTTP/1\\.[01] 2\\d\\d.*")) {
      throw new IOException("GET " + path + " on " + socket + ": " + status + "\n" + body);
    }
    return body;
  }
}
