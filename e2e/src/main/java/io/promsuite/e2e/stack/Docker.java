package io.promsuite.e2e.stack;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A private Docker engine for the container exporter, started the only safe way on a shared
 * machine: its own socket, data and exec roots, and all four network flags so it never touches
 * the host's iptables, forwarding or bridges.
 */
final class Docker {
  private Docker() {}

  static List<String> command(Path dir) {
    return List.of("/usr/sbin/dockerd", "--host", "unix://" + dir.resolve("docker.sock"),
        "--data-root", dir.resolve("data").toString(), "--exec-root", dir.resolve("exec").toString(),
        "--pidfile", dir.resolve("docker.pid").toString(),
        "--iptables=false", "--ip-forward=false", "--ip-masq=false", "--bridge=none");
  }

  /** Polls {@code GET /_ping} on the socket until the engine answers OK. */
  static void awaitPing(Path socket, ManagedProcess dockerd, Duration timeout) throws IOException, InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (!dockerd.alive()) {
        throw new IOException("dockerd exited; log " + dockerd.log() + ":\n" + dockerd.tail());
      }
      if (ping(socket)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IOException("dockerd not answering on " + socket + " after " + timeout + ":\n" + dockerd.tail());
  }

  /**
   * Unmounts what a stopped dockerd left mounted under {@code dir} (it bind-mounts its data root
   * onto itself and may leave that behind), deepest first, so the work directory can be removed.
   */
  static void unmountUnder(Path dir) {
    try {
      String prefix = dir.toAbsolutePath().normalize() + "/";
      List<String> mounts = new java.util.ArrayList<>();
      for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/mounts"))) {
        String[] f = line.split(" ");
        if (f.length > 1 && (f[1] + "/").startsWith(prefix)) {
          mounts.add(f[1]);
        }
      }
      mounts.sort(java.util.Comparator.comparingInt(String::length).reversed());
      for (String m : mounts) {
        new ProcessBuilder("umount", m).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      // Best effort: a mount left behind only keeps a temporary directory from being deleted.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static boolean ping(Path socket) {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
      ByteBuffer buf = ByteBuffer.allocate(512);
      ch.read(buf);
      return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).matches("(?s)HTTP/1\\.[01] 200 .*");
    } catch (IOException e) {
      return false;
    }
  }
}
