package io.promsuite.exporter.host;

import io.promsuite.exporter.common.Exporter;
import io.promsuite.exporter.common.cli.FlagException;

/**
 * node_exporter's default collectors for devices and kernel subsystems read from /sys and /proc
 * (network classes, sensors, RAID, NFS, power...), with their flags and default on/off.
 */
final class HardwareCollectors {
  private HardwareCollectors() {}

  static Exporter.Builder register(Exporter.Builder b) {
    return b
        .flags(f -> f
            .string("collector.netclass.ignored-devices", NetclassCollector.DEFAULT_IGNORED_DEVICES,
                "Regexp of net devices to ignore for netclass collector.")
            .bool("collector.netclass.ignore-invalid-speed", false,
                "Ignore devices where the speed is invalid. This will be the default behavior in 2.x.")
            .bool("collector.netclass.netlink", false,
                "Use netlink to gather stats instead of /proc/net/dev (not supported: sysfs is read).")
            .bool("collector.netclass_rtnl.with-stats", false,
                "Expose the statistics for each network device, replacing netdev collector (netlink only).")
            .string("collector.powersupply.ignored-supplies", PowerSupplyClassCollector.DEFAULT_IGNORED_SUPPLIES,
                "Regexp of power supplies to ignore for powersupplyclass collector.")
            .string("collector.tapestats.ignored-devices", TapestatsCollector.DEFAULT_IGNORED_DEVICES,
                "Regexp of devices to ignore for tapestats.")
            .string("collector.ipvs.backend-labels", String.join(",", IpvsCollector.ALL_LABELS),
                "Comma separated list for IPVS backend stats labels.")
            .bool("collector.bcache.priorityStats", false, "Expose expensive priority stats.")
            .bool("collector.rapl.enable-zone-label", false,
                "Export one node_rapl_joules_total family with a rapl_zone label instead of one family per zone."))
        .collector("netclass", true, "Network interface properties from /sys/class/net.", f -> {
          if (f.bool("collector.netclass.netlink")) {
            throw new FlagException("flag --collector.netclass.netlink is not supported: host-exporter reads"
                + " /sys/class/net (node_exporter's default); drop the flag");
          }
          return new NetclassCollector(HostExporter.paths(f), HostExporter.regex(f, "collector.netclass.ignored-devices"),
              f.bool("collector.netclass.ignore-invalid-speed"));
        })
        .collector("hwmon", true, "Sensor chips in /sys/class/hwmon.", f -> new HwmonCollector(HostExporter.paths(f)))
        .collector("thermal_zone", true, "Thermal zone temperatures and cooling devices from /sys/class/thermal.",
            f -> new ThermalZoneCollector(HostExporter.paths(f)))
        .collector("nfs", true, "NFS client statistics from /proc/net/rpc/nfs.", f -> new NfsCollector(HostExporter.paths(f)))
        .collector("nfsd", true, "NFS server statistics from /proc/net/rpc/nfsd.",
            f -> new NfsdCollector(HostExporter.paths(f)))
        .collector("mdadm", true, "Software RAID arrays from /proc/mdstat.", f -> new MdadmCollector(HostExporter.paths(f)))
        .collector("powersupplyclass", true, "Power supplies from /sys/class/power_supply.",
            f -> new PowerSupplyClassCollector(HostExporter.paths(f),
                HostExporter.regex(f, "collector.powersupply.ignored-supplies")))
        .collector("rapl", true, "RAPL energy counters from /sys/class/powercap.",
            f -> new RaplCollector(HostExporter.paths(f), f.bool("collector.rapl.enable-zone-label")))
        .collector("edac", true, "Memory errors from /sys/devices/system/edac.", f -> new EdacCollector(HostExporter.paths(f)))
        .collector("bonding", true, "Bonding masters and their slaves from /sys/class/net.",
            f -> new BondingCollector(HostExporter.paths(f)))
        .collector("dmi", true, "Firmware identification from /sys/class/dmi/id.", f -> new DmiCollector(HostExporter.paths(f)))
        .collector("nvme", true, "NVMe controllers from /sys/class/nvme.", f -> new NvmeCollector(HostExporter.paths(f)))
        .collector("infiniband", true, "InfiniBand ports and counters from /sys/class/infiniband.",
            f -> new InfiniBandCollector(HostExporter.paths(f)))
        .collector("fibrechannel", true, "Fibre Channel host adapters from /sys/class/fc_host.",
            f -> new FibreChannelCollector(HostExporter.paths(f)))
        .collector("tapestats", true, "SCSI tape drive statistics from /sys/class/scsi_tape.",
            f -> new TapestatsCollector(HostExporter.paths(f), HostExporter.regex(f, "collector.tapestats.ignored-devices")))
        .collector("ipvs", true, "IPVS totals and backends from /proc/net/ip_vs*.", f -> new IpvsCollector(
            HostExporter.paths(f), IpvsCollector.parseLabels(f.get("collector.ipvs.backend-labels"))))
        .collector("xfs", true, "XFS statistics per filesystem from /sys/fs/xfs.", f -> new XfsCollector(HostExporter.paths(f)))
        .collector("btrfs", true, "Btrfs allocation and devices from /sys/fs/btrfs.", f -> new BtrfsCollector(HostExporter.paths(f)))
        .collector("bcache", true, "bcache statistics from /sys/fs/bcache.",
            f -> new BcacheCollector(HostExporter.paths(f), f.bool("collector.bcache.priorityStats")))
        .collector("zfs", true, "ZFS kstats from /proc/spl/kstat/zfs.", f -> new ZfsCollector(HostExporter.paths(f)));
  }
}
