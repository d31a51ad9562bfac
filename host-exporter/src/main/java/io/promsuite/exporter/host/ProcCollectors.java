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

  static Exporter.Builder register(Exporter.Builder b) {
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
            f -> new SockstatCollector(paths(f), SockstatCollector.pageSize()))
        .collector("softnet", true, "Per-CPU packet processing from /proc/net/softnet_stat.",
            f -> new SoftnetCollector(paths(f)))
        .collector("timex", true, "Clock discipline state from adjtimex(2).", f -> new TimexCollector(Adjtimex::read))
        .collector("udp_queues", true, "UDP queue lengths from /proc/net/udp and udp6.", f -> new UdpQueuesCollector(paths(f)))
        .collector("vmstat", true, "/proc/vmstat fields.", f -> new VmstatCollector(paths(f), regex(f, "collector.vmstat.fields")))
        .collector("processes", false, "Processes and threads by state, pid and thread limits.",
            f -> new ProcessesCollector(paths(f)))
        .collector("systemd", false, "systemd units (not supported: it needs systemd's D-Bus API).", f -> {
          throw new FlagException("flag --collector.systemd is not supported: host-exporter has no D-Bus client"
              + " for systemd's unit states; drop the flag (or run node_exporter for node_systemd_* metrics)");
        });
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
