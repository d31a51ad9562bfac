package io.promsuite.exporter.host;

import static io.promsuite.exporter.host.HostExporter.paths;
import static io.promsuite.exporter.host.HostExporter.regex;

import io.promsuite.exporter.common.Exporter;
import io.promsuite.exporter.common.cli.FlagException;
import io.promsuite.exporter.common.cli.Flags;
import java.util.regex.Pattern;

/**
 * node_exporter's default collectors that read /proc (and the few simple /sys files beside them),
 * with their flags and default on/off, and the textfile collector, registered last so that a
 * text file repeating a collected metric is the one dropped.
 */
final class ProcCollectors {
  private ProcCollectors() {}

  /**
   * node_exporter 1.5's collectors that are off by default and that we do not have: their
   * --no-collector.X (common in unit files and manifests) is accepted, --collector.X refused.
   */
  static final java.util.List<String> NOT_IMPLEMENTED = java.util.List.of("buddyinfo", "cgroups", "drbd", "drm",
      "ethtool", "interrupts", "ksmd", "lnstat", "logind", "meminfo_numa", "mountstats", "network_route", "ntp", "perf",
      "qdisc", "runit", "slabinfo", "supervisord", "sysctl", "tcpstat", "wifi", "zoneinfo");

  static Exporter.Builder register(Exporter.Builder b, java.util.function.UnaryOperator<String> env) {
    for (String name : NOT_IMPLEMENTED) {
      b.collector(name, false, "node_exporter's " + name + " collector (not supported).", f -> {
        throw new FlagException("flag --collector." + name + " is not supported: host-exporter does not have node_exporter's "
            + name + " collector (off by default there); drop the flag");
      });
    }
    return b
        .flags(f -> f
            .string("collector.textfile.directory", "", "Directory to read text files with metrics from.")
            .string("collector.vmstat.fields", VmstatCollector.DEFAULT_FIELDS, "Regexp of fields to return for vmstat collector.")
            .string("collector.netstat.fields", NetstatCollector.DEFAULT_FIELDS,
                "Regexp of fields to return for netstat collector.")
            .string("collector.arp.device-include", "", "Regexp of arp devices to include (mutually exclusive to device-exclude).")
            .string("collector.arp.device-exclude", "", "Regexp of arp devices to exclude (mutually exclusive to device-include).")
            .bool("collector.netdev.netlink", true,
                "Use netlink to gather stats instead of /proc/net/dev (netlink's figures are read from sysfs).")
            .bool("collector.netdev.enable-detailed-metrics", false,
                "Use (incompatible) metric names that provide more detailed stats on Linux")
            .bool("collector.netdev.address-info", false, "Collect address-info for every device")
            .bool("collector.stat.softirq", false, "Export softirq calls per vector")
            .bool("collector.cpu.guest", true, "Enables metric node_cpu_guest_seconds_total")
            .bool("collector.cpu.info", false, "Enables metric cpu_info")
            .string("collector.cpu.info.flags-include", "",
                "Filter the `flags` field in cpuInfo with a value that must be a regular expression")
            .string("collector.cpu.info.bugs-include", "",
                "Filter the `bugs` field in cpuInfo with a value that must be a regular expression"))
        .collector("arp", true, "ARP entries per device from /proc/net/arp.", f -> {
          Pattern exclude = optional(f, "collector.arp.device-exclude");
          Pattern include = optional(f, "collector.arp.device-include");
          if (exclude != null && include != null) {
            throw new FlagException("flags --collector.arp.device-exclude and --collector.arp.device-include are mutually exclusive");
          }
          return new ArpCollector(paths(f), exclude, include);
        })
        .collector("conntrack", true, "Connection tracking table size and statistics.", f -> new ConntrackCollector(paths(f)))
        .collector("cpufreq", true, "CPU frequencies from /sys/devices/system/cpu/cpu*/cpufreq.",
            f -> new CpufreqCollector(paths(f)))
        .collector("entropy", true, "Available entropy.", f -> new EntropyCollector(paths(f)))
        .collector("filefd", true, "Allocated and maximum file descriptors.", f -> new FilefdCollector(paths(f)))
        .collector("netstat", true, "Network statistics from /proc/net/netstat, snmp and snmp6.",
            f -> new NetstatCollector(paths(f), regex(f, "collector.netstat.fields")))
        .collector("pressure", true, "Pressure stall information from /proc/pressure.", f -> new PressureCollector(paths(f)))
        .collector("schedstat", true, "Scheduler statistics from /proc/schedstat.", f -> new SchedstatCollector(paths(f)))
        .collector("selinux", true, "SELinux enabled and modes.", f -> new SelinuxCollector(paths(f)))
        .collector("sockstat", true, "Socket counts from /proc/net/sockstat and sockstat6.",
            f -> new SockstatCollector(paths(f), io.promsuite.exporter.common.collect.PageSize.bytes()))
        .collector("softnet", true, "Per-CPU packet processing from /proc/net/softnet_stat.",
            f -> new SoftnetCollector(paths(f)))
        .collector("timex", true, "Clock discipline state from adjtimex(2).", f -> new TimexCollector(Adjtimex::read))
        .collector("udp_queues", true, "UDP queue lengths from /proc/net/udp and udp6.", f -> new UdpQueuesCollector(paths(f)))
        .collector("vmstat", true, "/proc/vmstat fields.", f -> new VmstatCollector(paths(f), regex(f, "collector.vmstat.fields")))
        .collector("processes", false, "Processes and threads by state, pid and thread limits.",
            f -> new ProcessesCollector(paths(f)))
        .flags(f -> f
            .string("collector.systemd.unit-include", ".+",
                "Regexp of systemd units to include. Units must both match include and not match exclude to be included.")
            .string("collector.systemd.unit-exclude", SystemdCollector.DEFAULT_UNIT_EXCLUDE,
                "Regexp of systemd units to exclude. Units must both match include and not match exclude to be included.")
            .string("collector.systemd.unit-whitelist", "", "DEPRECATED: Use --collector.systemd.unit-include")
            .string("collector.systemd.unit-blacklist", "", "DEPRECATED: Use collector.systemd.unit-exclude")
            .bool("collector.systemd.private", false, "Establish a private, direct connection to systemd without dbus"
                + " (Strongly discouraged since it requires root. For testing purposes only).")
            .bool("collector.systemd.enable-task-metrics", false,
                "Enables service unit tasks metrics unit_tasks_current and unit_tasks_max")
            .bool("collector.systemd.enable-restarts-metrics", false, "Enables service unit metric service_restart_total")
            .bool("collector.systemd.enable-start-time-metrics", false, "Enables service unit metric unit_start_time_seconds"))
        .collector("systemd", false, "systemd unit states from systemd's D-Bus API (the system bus at"
            + " $DBUS_SYSTEM_BUS_ADDRESS, else /var/run/dbus/system_bus_socket).", f -> systemd(f, env));
  }

  /** The systemd collector, talking to the system bus where godbus would find it (or systemd's private socket). */
  private static SystemdCollector systemd(Flags f, java.util.function.UnaryOperator<String> env) throws FlagException {
    boolean direct = f.bool("collector.systemd.private");
    String bus = env.apply("DBUS_SYSTEM_BUS_ADDRESS");
    String address = direct ? SystemdBus.PRIVATE_SOCKET : bus == null || bus.isEmpty() ? SystemdBus.DEFAULT_SYSTEM_BUS : bus;
    boolean root = new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    return SystemdCollector.atAddress(address, direct, root, new SystemdCollector.Options(
        HostExporter.regex(f, "collector.systemd.unit-include", "collector.systemd.unit-whitelist"),
        HostExporter.regex(f, "collector.systemd.unit-exclude", "collector.systemd.unit-blacklist"),
        f.bool("collector.systemd.enable-task-metrics"), f.bool("collector.systemd.enable-restarts-metrics"),
        f.bool("collector.systemd.enable-start-time-metrics")));
  }

  /** The cpu collector's options; an include pattern turns cpu.info on, as node_exporter does. */
  static CpuCollector.Options cpuOptions(Flags f) throws FlagException {
    Pattern flags = optional(f, "collector.cpu.info.flags-include");
    Pattern bugs = optional(f, "collector.cpu.info.bugs-include");
    return new CpuCollector.Options(f.bool("collector.cpu.guest"),
        f.bool("collector.cpu.info") || flags != null || bugs != null, flags, bugs);
  }

  /** The textfile collector; registered after every other so collected metrics win a name clash. */
  static Exporter.Builder textfile(Exporter.Builder b) {
    return b.collector("textfile", true, "Metrics from *.prom files in --collector.textfile.directory.",
        f -> new TextfileCollector(f.get("collector.textfile.directory")));
  }

  private static Pattern optional(Flags f, String flag) throws FlagException {
    return f.get(flag).isEmpty() ? null : regex(f, flag);
  }
}
