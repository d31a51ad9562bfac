package io.promsuite.exporter.container.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The /proc readings of cAdvisor's opt-in process, tcp and udp groups: processes, file
 * descriptors and sockets of a container's processes, and the connection tables of its network
 * namespace, counted as cAdvisor counts them.
 */
final class ProcessTables {
  private ProcessTables() {}

  /** cAdvisor's names of the TCP states (st column of /proc/net/tcp, 01 to 0B). */
  private static final String[] TCP_STATES = {"established", "synsent", "synrecv", "finwait1", "finwait2", "timewait",
      "close", "closewait", "lastack", "listen", "closing"};

  /**
   * The process group (processes, file descriptors, sockets of every process in {@code procsFile},
   * as cAdvisor counts them) and the tcp/udp connection tables of {@code pid}'s network namespace,
   * each only when its group is enabled.
   */
  static Usage.Processes read(Path procRoot, MetricGroups g, Path procsFile, long pid, long memoryMigrate)
      throws IOException {
    long processes = Usage.UNKNOWN;
    long fds = Usage.UNKNOWN;
    long sockets = Usage.UNKNOWN;
    if (g.has("process") && Files.exists(procsFile)) {
      processes = 0;
      fds = 0;
      sockets = 0;
      for (String p : Files.readAllLines(procsFile)) {
        if (p.isBlank()) {
          continue;
        }
        processes++;
        Path fdDir = procRoot.resolve(p.trim()).resolve("fd");
        try (var entries = Files.newDirectoryStream(fdDir)) {
          for (Path fd : entries) {
            fds++;
            try {
              if (Files.readSymbolicLink(fd).toString().startsWith("socket")) {
                sockets++;
              }
            } catch (IOException e) {
              // closed between the listing and the read
            }
          }
        } catch (IOException | java.nio.file.DirectoryIteratorException e) {
          // Exited between the two reads or while its descriptors were listed (a health check's
          // exec): what was counted stays, the rest is gone with it.
        }
      }
    }
    Map<String, Long> tcp = Map.of();
    Map<String, Long> tcp6 = Map.of();
    Map<String, Long> udp = Map.of();
    Map<String, Long> udp6 = Map.of();
    if (pid > 0 && g.has("tcp")) {
      tcp = tcpStates(procRoot.resolve(pid + "/net/tcp"));
      tcp6 = tcpStates(procRoot.resolve(pid + "/net/tcp6"));
    }
    if (pid > 0 && g.has("udp")) {
      udp = udpStats(procRoot.resolve(pid + "/net/udp"));
      udp6 = udpStats(procRoot.resolve(pid + "/net/udp6"));
    }
    return new Usage.Processes(processes, fds, sockets, tcp, tcp6, udp, udp6, Map.of(), memoryMigrate);
  }

  /** Connections by state; empty when the file is gone (the process exited). */
  static Map<String, Long> tcpStates(Path file) throws IOException {
    List<String> lines = CgroupFiles.readLinesIfExists(file);
    if (lines == null) {
      return Map.of();
    }
    long[] counts = new long[TCP_STATES.length];
    for (int i = 1; i < lines.size(); i++) {
      String[] f = CgroupFiles.SPACES.split(lines.get(i).trim());
      if (f.length < 4) {
        continue;
      }
      int st;
      try {
        st = Integer.parseInt(f[3], 16);
      } catch (NumberFormatException e) {
        throw new IOException(file + ":" + (i + 1) + ": bad state '" + f[3] + "'");
      }
      if (st >= 1 && st <= counts.length) {
        counts[st - 1]++;
      }
    }
    Map<String, Long> out = new LinkedHashMap<>();
    for (int i = 0; i < counts.length; i++) {
      out.put(TCP_STATES[i], counts[i]);
    }
    return out;
  }

  /**
   * cAdvisor's udp figures: every socket line counts as listen; the queue column "tx:rx" is read
   * as rxqueued:txqueued, the order cAdvisor reads it in; drops from the last column.
   */
  static Map<String, Long> udpStats(Path file) throws IOException {
    List<String> lines = CgroupFiles.readLinesIfExists(file);
    if (lines == null) {
      return Map.of();
    }
    long listen = 0;
    long dropped = 0;
    long rxQueued = 0;
    long txQueued = 0;
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      listen++;
      String[] f = CgroupFiles.SPACES.split(lines.get(i).trim());
      if (f.length != 13) {
        continue;
      }
      String[] q = f[4].split(":");
      try {
        rxQueued += Long.parseLong(q[0], 16);
        txQueued += Long.parseLong(q[1], 16);
        dropped += Long.parseLong(f[12]);
      } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
        throw new IOException(file + ":" + (i + 1) + ": bad queue or drops column");
      }
    }
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("listen", listen);
    out.put("dropped", dropped);
    out.put("rxqueued", rxQueued);
    out.put("txqueued", txQueued);
    return out;
  }
}
