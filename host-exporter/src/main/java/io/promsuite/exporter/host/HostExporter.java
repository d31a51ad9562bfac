package io.promsuite.exporter.host;

import io.promsuite.exporter.common.Exporter;
import io.promsuite.exporter.common.cli.FlagException;
import io.promsuite.exporter.common.cli.Flags;
import java.nio.file.Path;
import java.time.Clock;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** host-exporter: node_exporter's host metrics, names, labels and flags, read from /proc and /sys as it reads them. */
public final class HostExporter {
  private HostExporter() {}

  public static void main(String[] args) {
    Exporter.main("host-exporter", HostExporter::builder, args);
  }

  /** The exporter's declaration; tests start it with {@code builder().start(args)}. */
  public static Exporter.Builder builder() {
    return builder(System::getenv);
  }

  /**
   * The declaration with the environment it reads ({@code DBUS_SYSTEM_BUS_ADDRESS}, as node_exporter's
   * systemd collector does), so tests can point it at a systemd of their own.
   */
  public static Exporter.Builder builder(java.util.function.UnaryOperator<String> env) {
    Exporter.Builder b = Exporter.builder("host-exporter", "node")
        .description("Host metrics named and labelled as node_exporter names them.")
        .defaultListenAddress(":9100")
        .flags(f -> f
            .string("path.procfs", "/proc", "procfs mountpoint.")
            .string("path.sysfs", "/sys", "sysfs mountpoint.")
            .string("path.rootfs", "/", "rootfs mountpoint.")
            .string("path.udev.data", "/run/udev/data", "udev data path.")
            .string("collector.filesystem.mount-points-exclude", FilesystemCollector.DEFAULT_MOUNT_POINTS_EXCLUDE,
                "Regexp of mount points to exclude for filesystem collector.")
            .string("collector.filesystem.fs-types-exclude", FilesystemCollector.DEFAULT_FS_TYPES_EXCLUDE,
                "Regexp of filesystem types to exclude for filesystem collector.")
            .string("collector.filesystem.mount-timeout", "5s",
                "how long to wait for a mount to respond before marking it as stale")
            .string("collector.diskstats.device-exclude", DiskstatsCollector.DEFAULT_DEVICE_EXCLUDE,
                "Regexp of diskstats devices to exclude.")
            .string("collector.diskstats.device-include", "", "Regexp of diskstats devices to include.")
            .string("collector.netdev.device-exclude", NetdevCollector.DEFAULT_DEVICE_EXCLUDE,
                "Regexp of net devices to exclude (mutually exclusive to device-include).")
            .string("collector.netdev.device-include", "", "Regexp of net devices to include.")
            .string("collector.filesystem.ignored-mount-points", "",
                "DEPRECATED: Use --collector.filesystem.mount-points-exclude")
            .string("collector.filesystem.ignored-fs-types", "", "DEPRECATED: Use --collector.filesystem.fs-types-exclude")
            .string("collector.diskstats.ignored-devices", "", "DEPRECATED: Use --collector.diskstats.device-exclude")
            .string("collector.netdev.device-blacklist", "", "DEPRECATED: Use --collector.netdev.device-exclude")
            .string("collector.netdev.device-whitelist", "", "DEPRECATED: Use --collector.netdev.device-include"))
        .collector("cpu", true, "CPU seconds per cpu and mode.", f -> new CpuCollector(paths(f), ProcCollectors.cpuOptions(f)))
        .collector("loadavg", true, "Load averages.", f -> new LoadavgCollector(paths(f)))
        .collector("meminfo", true, "/proc/meminfo fields.", f -> new MeminfoCollector(paths(f)))
        .collector("filesystem", true, "Filesystem sizes and inodes.", f -> new FilesystemCollector(paths(f),
            regex(f, "collector.filesystem.mount-points-exclude", "collector.filesystem.ignored-mount-points"),
            regex(f, "collector.filesystem.fs-types-exclude", "collector.filesystem.ignored-fs-types"),
            f.duration("collector.filesystem.mount-timeout")))
        .collector("diskstats", true, "Disk I/O statistics.", f -> new DiskstatsCollector(paths(f),
            regex(f, "collector.diskstats.device-exclude", "collector.diskstats.ignored-devices"),
            optionalRegex(f, "collector.diskstats.device-include"), Path.of(f.get("path.udev.data"))))
        .collector("netdev", true, "Network device statistics.", f -> new NetdevCollector(paths(f),
            optionalRegex(f, "collector.netdev.device-exclude", "collector.netdev.device-blacklist"),
            optionalRegex(f, "collector.netdev.device-include", "collector.netdev.device-whitelist"),
            new NetdevCollector.Options(f.bool("collector.netdev.netlink"), f.bool("collector.netdev.enable-detailed-metrics"),
                f.bool("collector.netdev.address-info"))))
        .collector("stat", true, "Boot time, context switches, forks, interrupts, processes.", f -> new StatCollector(paths(f), f.bool("collector.stat.softirq")))
        .collector("time", true, "Wall clock, time zone and clock sources.",
            f -> new TimeCollector(paths(f), Clock.systemDefaultZone()))
        .collector("uname", true, "node_uname_info.",
            f -> new UnameCollector(paths(f), UnameCollector.machineOf(System.getProperty("os.arch"))))
        .collector("os", true, "node_os_info and node_os_version from os-release.", f -> new OsCollector(paths(f)));
    return ProcCollectors.textfile(HardwareCollectors.register(ProcCollectors.register(b, env)));
  }

  static HostPaths paths(Flags f) {
    return new HostPaths(Path.of(f.get("path.procfs")), Path.of(f.get("path.sysfs")), Path.of(f.get("path.rootfs")));
  }

  static Pattern regex(Flags f, String flag) throws FlagException {
    return compile(flag, f.get(flag));
  }

  private static Pattern optionalRegex(Flags f, String flag) throws FlagException {
    return f.get(flag).isEmpty() ? null : regex(f, flag);
  }

  private static Pattern optionalRegex(Flags f, String flag, String deprecated) throws FlagException {
    String value = aliased(f, flag, deprecated);
    return value.isEmpty() ? null : compile(flag, value);
  }

  /** A flag with its deprecated alias, which node_exporter 1.5 still takes (with a warning) unless both are set. */
  static Pattern regex(Flags f, String flag, String deprecated) throws FlagException {
    return compile(flag, aliased(f, flag, deprecated));
  }

  private static String aliased(Flags f, String flag, String deprecated) throws FlagException {
    if (f.get(deprecated).isEmpty()) {
      return f.get(flag);
    }
    if (f.isSet(flag)) {
      throw new FlagException("--" + deprecated + " and --" + flag + " are mutually exclusive");
    }
    io.promsuite.exporter.common.log.Logging.log(java.util.logging.Logger.getLogger(HostExporter.class.getName()),
        java.util.logging.Level.WARNING, "--" + deprecated + " is DEPRECATED and will be removed in 2.0.0, use --" + flag);
    return f.get(deprecated);
  }

  private static Pattern compile(String flag, String value) throws FlagException {
    try {
      return Pattern.compile(value);
    } catch (PatternSyntaxException e) {
      throw new FlagException("flag --" + flag + ": invalid regular expression: " + e.getDescription());
    }
  }
}
