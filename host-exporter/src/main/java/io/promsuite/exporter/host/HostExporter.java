package io.promsuite.exporter.host;

import io.promsuite.exporter.common.Exporter;
import io.promsuite.exporter.common.cli.FlagException;
import io.promsuite.exporter.common.cli.Flags;
import java.nio.file.Path;
import java.time.Clock;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** host-exporter: node_exporter's host metrics, names, labels and flags, from OSHI and /proc. */
public final class HostExporter {
  private HostExporter() {}

  public static void main(String[] args) {
    builder().run(args);
  }

  /** The exporter's declaration; tests start it with {@code builder().start(args)}. */
  public static Exporter.Builder builder() {
    // OSHI's JNA-free implementation: no native library is loaded (start-up time and RSS).
    oshi.nativefree.SystemInfo[] oshi = new oshi.nativefree.SystemInfo[1];
    java.util.function.Supplier<oshi.nativefree.SystemInfo> si = () -> {
      synchronized (oshi) {
        if (oshi[0] == null) {
          oshi[0] = new oshi.nativefree.SystemInfo();
        }
        return oshi[0];
      }
    };
    Exporter.Builder b = Exporter.builder("host-exporter", "node")
        .description("Host metrics named and labelled as node_exporter names them.")
        .defaultListenAddress(":9100")
        .flags(f -> f
            .string("path.procfs", "/proc", "procfs mountpoint.")
            .string("path.sysfs", "/sys", "sysfs mountpoint.")
            .string("path.rootfs", "/", "rootfs mountpoint.")
            .string("collector.filesystem.mount-points-exclude", FilesystemCollector.DEFAULT_MOUNT_POINTS_EXCLUDE,
                "Regexp of mount points to exclude for filesystem collector.")
            .string("collector.filesystem.fs-types-exclude", FilesystemCollector.DEFAULT_FS_TYPES_EXCLUDE,
                "Regexp of filesystem types to exclude for filesystem collector.")
            .string("collector.diskstats.device-exclude", DiskstatsCollector.DEFAULT_DEVICE_EXCLUDE,
                "Regexp of diskstats devices to exclude.")
            .string("collector.diskstats.device-include", "", "Regexp of diskstats devices to include.")
            .string("collector.netdev.device-exclude", NetdevCollector.DEFAULT_DEVICE_EXCLUDE,
                "Regexp of net devices to exclude (mutually exclusive to device-include).")
            .string("collector.netdev.device-include", "", "Regexp of net devices to include."))
        .collector("cpu", true, "CPU seconds per cpu and mode.", f -> new CpuCollector(paths(f)))
        .collector("loadavg", true, "Load averages.", f -> onRealHost(f)
            ? new LoadavgCollector(() -> si.get().getHardware().getProcessor().getSystemLoadAverage(3))
            : new LoadavgCollector(() -> LoadavgCollector.fromProc(paths(f))))
        .collector("meminfo", true, "/proc/meminfo fields.", f -> new MeminfoCollector(paths(f)))
        .collector("filesystem", true, "Filesystem sizes and inodes.", f -> new FilesystemCollector(paths(f),
            regex(f, "collector.filesystem.mount-points-exclude"), regex(f, "collector.filesystem.fs-types-exclude")))
        .collector("diskstats", true, "Disk I/O statistics.", f -> new DiskstatsCollector(paths(f),
            regex(f, "collector.diskstats.device-exclude"), optionalRegex(f, "collector.diskstats.device-include")))
        .collector("netdev", true, "Network device statistics.", f -> new NetdevCollector(paths(f),
            optionalRegex(f, "collector.netdev.device-exclude"), optionalRegex(f, "collector.netdev.device-include")))
        .collector("stat", true, "Boot time, context switches, forks, interrupts, processes.", f -> onRealHost(f)
            ? new StatCollector(paths(f), () -> si.get().getOperatingSystem().getSystemBootTime())
            : new StatCollector(paths(f), () -> StatCollector.bootTimeFromProc(paths(f))))
        .collector("time", true, "Wall clock, time zone and clock sources.",
            f -> new TimeCollector(paths(f), Clock.systemDefaultZone()))
        .collector("uname", true, "node_uname_info.",
            f -> new UnameCollector(paths(f), UnameCollector.machineOf(System.getProperty("os.arch"))))
        .collector("os", true, "node_os_info and node_os_version from os-release.", f -> new OsCollector(paths(f)));
    return HardwareCollectors.register(b);
  }

  static HostPaths paths(Flags f) {
    return new HostPaths(Path.of(f.get("path.procfs")), Path.of(f.get("path.sysfs")), Path.of(f.get("path.rootfs")));
  }

  /** OSHI reads the real /proc; with --path.procfs pointing elsewhere, read that tree instead. */
  private static boolean onRealHost(Flags f) {
    return f.get("path.procfs").equals("/proc");
  }

  static Pattern regex(Flags f, String flag) throws FlagException {
    try {
      return Pattern.compile(f.get(flag));
    } catch (PatternSyntaxException e) {
      throw new FlagException("flag --" + flag + ": invalid regular expression: " + e.getDescription());
    }
  }

  private static Pattern optionalRegex(Flags f, String flag) throws FlagException {
    return f.get(flag).isEmpty() ? null : regex(f, flag);
  }
}
