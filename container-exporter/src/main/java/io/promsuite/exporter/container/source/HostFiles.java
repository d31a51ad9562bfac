package io.promsuite.exporter.container.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The /proc and /sys files both cgroup layouts need, under roots given as parameters: per-interface
 * network counters from /proc/PID/net/dev, task states from /proc/TID/stat, the cgroup path from
 * /proc/PID/cgroup and block device names from /sys/dev/block.
 */
public final class HostFiles {

  /**
   * Reader settings.
   *
   * @param userHz clock ticks per second of {@code cpuacct.stat} (USER_HZ, 100 on Linux)
   * @param ignoredInterfaces interfaces left out, as cAdvisor leaves out lo, veth*, docker*
   * @param taskStates whether to count tasks by state (one /proc read per task)
   * @param groups the metric groups served (what is read beyond the defaults: process, tcp, udp...)
   * @param referencedResetInterval readings of a container after which its processes' referenced
   *     pages are cleared (cAdvisor's --referenced_reset_interval); 0 never clears them
   */
  public record Options(long userHz, Pattern ignoredInterfaces, boolean taskStates, MetricGroups groups,
      long referencedResetInterval) {
    /** cAdvisor's defaults. */
    public static final Options DEFAULT = new Options(100, Pattern.compile("^(lo|veth|docker|nerdctl).*"), true,
        MetricGroups.DEFAULT);

    /** Referenced pages never cleared (cAdvisor's default). */
    public Options(long userHz, Pattern ignoredInterfaces, boolean taskStates, MetricGroups groups) {
      this(userHz, ignoredInterfaces, taskStates, groups, 0);
    }
  }

  private final Path procRoot;
  private final Path sysRoot;
  private final Options options;
  private final Map<String, String> deviceNames = new ConcurrentHashMap<>();
  private final OptInGroups optIn;

  public HostFiles(Path procRoot, Path sysRoot, Options options) {
    this.procRoot = procRoot;
    this.sysRoot = sysRoot;
    this.options = options;
    this.optIn = new OptInGroups(procRoot, options);
  }

  /** The readings of the sched, referenced_memory, memory_numa and advtcp groups that are on ({@link OptInGroups}). */
  Usage.OptIn optIn(Path procsDir, Path memoryDir, long pid, boolean v2) throws IOException {
    return optIn.read(procsDir, memoryDir, pid, v2);
  }

  Options options() {
    return options;
  }

  /** Interfaces of the network namespace of {@code pid}; empty when the process is gone. */
  List<Usage.NetworkInterface> networks(long pid) throws IOException {
    if (pid <= 0) {
      return List.of();
    }
    Path file = procRoot.resolve(Long.toString(pid)).resolve("net/dev");
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    return parseNetDev(file, lines, options.ignoredInterfaces());
  }

  static List<Usage.NetworkInterface> parseNetDev(Path file, List<String> lines, Pattern ignored) throws IOException {
    List<Usage.NetworkInterface> out = new ArrayList<>();
    // The first two lines are the table header.
    for (int i = 2; i < lines.size(); i++) {
      String line = lines.get(i);
      int colon = line.indexOf(':');
      if (colon < 0) {
        throw new IOException(file + ":" + (i + 1) + ": no 'interface:' in '" + line.trim() + "'");
      }
      String name = line.substring(0, colon).trim();
      String[] f = CgroupFiles.SPACES.split(line.substring(colon + 1).trim());
      if (f.length != 16) {
        throw new IOException(file + ":" + (i + 1) + ": expected 16 counters for " + name + ", got " + f.length);
      }
      if (ignored.matcher(name).matches()) {
        continue;
      }
      // Receive: bytes packets errs drop fifo frame compressed multicast; transmit: bytes packets errs drop ...
      out.add(new Usage.NetworkInterface(name, CgroupFiles.parse(file, f[0]), CgroupFiles.parse(file, f[1]),
          CgroupFiles.parse(file, f[2]), CgroupFiles.parse(file, f[3]), CgroupFiles.parse(file, f[8]),
          CgroupFiles.parse(file, f[9]), CgroupFiles.parse(file, f[10]), CgroupFiles.parse(file, f[11])));
    }
    return out;
  }

  /**
   * Tasks of a cgroup by state, from the TIDs in {@code tasksFile}; cAdvisor's five states
   * (iowaiting is not visible in /proc and stays 0). Empty when disabled.
   */
  Map<String, Long> taskStates(Path tasksFile) throws IOException {
    if (!options.taskStates()) {
      return Map.of();
    }
    long sleeping = 0;
    long running = 0;
    long stopped = 0;
    long uninterruptible = 0;
    for (String tid : Files.readAllLines(tasksFile)) {
      if (tid.isBlank()) {
        continue;
      }
      String stat;
      try {
        stat = Files.readString(procRoot.resolve(tid.trim()).resolve("stat"));
      } catch (NoSuchFileException e) {
        continue; // exited between the two reads
      }
      int close = stat.lastIndexOf(')');
      char state = close >= 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
      switch (state) {
        case 'R' -> running++;
        case 'S', 'I' -> sleeping++;
        case 'D' -> uninterruptible++;
        case 'T', 't' -> stopped++;
        default -> { }
      }
    }
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("sleeping", sleeping);
    out.put("running", running);
    out.put("stopped", stopped);
    out.put("uninterruptible", uninterruptible);
    out.put("iowaiting", 0L);
    return out;
  }

  /**
   * The process group and the tcp/udp tables of the container, each only when its group is on
   * ({@link ProcessTables}).
   */
  Usage.Processes processes(Path procsFile, long pid, long memoryMigrate) throws IOException {
    return ProcessTables.read(procRoot, options.groups(), procsFile, pid, memoryMigrate);
  }

  /**
   * One block device's line of /proc/diskstats (the whole-device counters cAdvisor adds to the
   * container_fs_* families for the filesystem holding the containers' layers).
   */
  public record DiskStats(long reads, long readsMerged, long sectorsRead, long readMillis, long writes,
      long writesMerged, long sectorsWritten, long writeMillis, long ioInProgress, long ioMillis,
      long weightedIoMillis) {}

  /** The /proc/diskstats line of device {@code majorMinor} ("254:0"), or null when there is none. */
  public DiskStats diskStats(String majorMinor) {
    if (majorMinor == null) {
      return null;
    }
    try {
      for (String line : Files.readAllLines(procRoot.resolve("diskstats"))) {
        String[] f = CgroupFiles.SPACES.split(line.trim());
        if (f.length >= 14 && majorMinor.equals(f[0] + ":" + f[1])) {
          long[] v = new long[11];
          for (int i = 0; i < 11; i++) {
            v[i] = Long.parseLong(f[3 + i]);
          }
          return new DiskStats(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return null;
    }
    return null;
  }

  /**
   * Inodes in a directory tree (every file, directory and link, the top included), as cAdvisor
   * counts a writable layer's; {@link Usage#UNKNOWN} when it cannot be walked here.
   */
  public static long countInodes(Path dir) {
    long[] count = {0};
    try {
      Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
        @Override
        public java.nio.file.FileVisitResult preVisitDirectory(Path d, java.nio.file.attribute.BasicFileAttributes a) {
          count[0]++;
          return java.nio.file.FileVisitResult.CONTINUE;
        }

        @Override
        public java.nio.file.FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes a) {
          count[0]++;
          return java.nio.file.FileVisitResult.CONTINUE;
        }

        @Override
        public java.nio.file.FileVisitResult visitFileFailed(Path f, IOException e) {
          return java.nio.file.FileVisitResult.CONTINUE; // removed during the walk
        }
      });
    } catch (IOException e) {
      return Usage.UNKNOWN;
    }
    return count[0] == 0 ? Usage.UNKNOWN : count[0];
  }

  /** The "major:minor" of the mount holding {@code path} (mountinfo's third field), or null. */
  public String mountDevice(String path) {
    String[] best = mountEntry(path);
    return best == null ? null : best[2];
  }

  /**
   * The cgroup path of {@code pid}: for v1 the line of the {@code memory} controller, for v2 the
   * {@code 0::} line. Null when the process is gone.
   */
  String cgroupPath(long pid, boolean unified) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(procRoot.resolve(Long.toString(pid)).resolve("cgroup"));
    } catch (NoSuchFileException e) {
      return null;
    }
    for (String line : lines) {
      String[] f = line.split(":", 3);
      if (f.length != 3) {
        continue;
      }
      if (unified ? f[0].equals("0") && f[1].isEmpty() : List.of(f[1].split(",")).contains("memory")) {
        return f[2];
      }
    }
    return null;
  }

  /**
   * The source (device) of the mount holding {@code path}, from /proc/self/mountinfo: the mount
   * point that is the longest prefix of the path. Null when there is none or it cannot be read.
   */
  public String mountSource(String path) {
    String[] best = mountEntry(path);
    if (best == null) {
      return null;
    }
    int dash = java.util.Arrays.asList(best).indexOf("-");
    return best[dash + 2];
  }

  /** The mountinfo fields of the mount point that is the longest prefix of {@code path}. */
  private String[] mountEntry(String path) {
    String[] best = null;
    int bestLength = -1;
    try {
      for (String line : Files.readAllLines(procRoot.resolve("self/mountinfo"))) {
        String[] f = line.split(" ");
        int dash = java.util.Arrays.asList(f).indexOf("-");
        if (f.length < 5 || dash < 0 || dash + 2 >= f.length) {
          continue;
        }
        String mountPoint = f[4];
        boolean under = path.equals(mountPoint) || mountPoint.equals("/")
            || path.startsWith(mountPoint.endsWith("/") ? mountPoint : mountPoint + "/");
        if (under && mountPoint.length() > bestLength) {
          bestLength = mountPoint.length();
          best = f;
        }
      }
    } catch (IOException e) {
      return null;
    }
    return best;
  }

  /** {@code /dev/sda} for "8:0" from /sys/dev/block/8:0/uevent; "8:0" itself when unknown. */
  public String deviceName(String majorMinor) {
    return deviceNames.computeIfAbsent(majorMinor, mm -> {
      try {
        for (String line : Files.readAllLines(sysRoot.resolve("dev/block").resolve(mm).resolve("uevent"))) {
          if (line.startsWith("DEVNAME=")) {
            return "/dev/" + line.substring("DEVNAME=".length());
          }
        }
      } catch (IOException e) {
        // Not on this host's /sys (a remote daemon, a container without /sys): keep the numbers.
      }
      return mm;
    });
  }
}
