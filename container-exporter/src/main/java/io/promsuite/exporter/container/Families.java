package io.promsuite.exporter.container;

import io.promsuite.exporter.common.collect.MetricSink;
import io.promsuite.exporter.common.collect.MetricSink.Family;
import io.promsuite.exporter.container.source.MetricGroups;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * cAdvisor's container families (names, help texts, types and extra labels as cAdvisor has them),
 * each in its cAdvisor metric group; a family of a disabled group takes samples and writes nothing.
 */
final class Families {
  final Family lastSeen;
  final Family health;
  final Family startTime;
  final Family specPeriod;
  final Family specQuota;
  final Family specShares;
  final Family specMemory;
  final Family specMemoryReservation;
  final Family specMemorySwap;
  final Family cpuUser;
  final Family cpuSystem;
  final Family cpuUsage;
  final Family cfsPeriods;
  final Family cfsThrottledPeriods;
  final Family cfsThrottled;
  final Family cfsBurstPeriods;
  final Family cfsBurst;
  final Family load;
  final Family schedRun;
  final Family schedRunqueue;
  final Family schedRunPeriods;
  final Family referenced;
  final Family numaPages;
  final Family advancedTcp;
  final Family tasks;
  final Family memCache;
  final Family memRss;
  final Family memMappedFile;
  final Family memSwap;
  final Family memFailcnt;
  final Family memUsage;
  final Family memMaxUsage;
  final Family memWorkingSet;
  final Family memActiveFile;
  final Family memInactiveFile;
  final Family memFailures;
  final Family memEventsHigh;
  final Family memEventsMax;
  final Family memFileDirty;
  final Family memFileWriteback;
  final Family memPgscan;
  final Family memPgsteal;
  final Family memRefaultFile;
  final Family memRefaultAnon;
  final Family memoryMigrate;
  final Family hugetlbFailcnt;
  final Family hugetlbUsage;
  final Family hugetlbMaxUsage;
  final Family fsInodesFree;
  final Family fsInodes;
  final Family fsLimit;
  final Family fsUsage;
  final Family fsReadBytes;
  final Family fsReads;
  final Family fsSectorReads;
  final Family fsReadsMerged;
  final Family fsReadSeconds;
  final Family fsWriteBytes;
  final Family fsWrites;
  final Family fsSectorWrites;
  final Family fsWritesMerged;
  final Family fsWriteSeconds;
  final Family fsIoCurrent;
  final Family fsIoTime;
  final Family fsIoTimeWeighted;
  final Family blkioDevice;
  final Family rxBytes;
  final Family rxPackets;
  final Family rxDropped;
  final Family rxErrors;
  final Family txBytes;
  final Family txPackets;
  final Family txDropped;
  final Family txErrors;
  final Family tcp;
  final Family tcp6;
  final Family udp6;
  final Family udp;
  final Family processes;
  final Family fileDescriptors;
  final Family sockets;
  final Family threadsMax;
  final Family threads;
  final Family oomEvents;
  final Family pressureCpuStalled;
  final Family pressureCpuWaiting;
  final Family pressureMemoryStalled;
  final Family pressureMemoryWaiting;
  final Family pressureIoStalled;
  final Family pressureIoWaiting;

  private final MetricSink s;
  private final MetricGroups groups;

  Families(MetricSink sink, String[] l, MetricGroups groups) {
    this.s = sink;
    this.groups = groups;
    String[] cpu = plus(l, "cpu");
    String[] iface = plus(l, "interface");
    String[] device = plus(l, "device");
    lastSeen = gauge("", "container_last_seen", "Last time a container was seen by the exporter", l);
    health = gauge("", "container_health_state", "The result of the container's health check", l);
    startTime = gauge("", "container_start_time_seconds", "Start time of the container since unix epoch in seconds.", l);
    specPeriod = gauge("", "container_spec_cpu_period", "CPU period of the container.", l);
    specQuota = gauge("", "container_spec_cpu_quota", "CPU quota of the container.", l);
    specShares = gauge("", "container_spec_cpu_shares", "CPU share of the container.", l);
    specMemory = gauge("", "container_spec_memory_limit_bytes", "Memory limit for the container.", l);
    specMemoryReservation = gauge("", "container_spec_memory_reservation_limit_bytes",
        "Memory reservation limit for the container.", l);
    specMemorySwap = gauge("", "container_spec_memory_swap_limit_bytes", "Memory swap limit for the container.", l);

    cpuUser = counter("cpu", "container_cpu_user_seconds_total", "Cumulative user cpu time consumed in seconds.", l);
    cpuSystem = counter("cpu", "container_cpu_system_seconds_total", "Cumulative system cpu time consumed in seconds.", l);
    cpuUsage = counter("cpu", "container_cpu_usage_seconds_total", "Cumulative cpu time consumed in seconds.", cpu);
    cfsPeriods = counter("cpu", "container_cpu_cfs_periods_total", "Number of elapsed enforcement period intervals.", l);
    cfsThrottledPeriods = counter("cpu", "container_cpu_cfs_throttled_periods_total",
        "Number of throttled period intervals.", l);
    cfsThrottled = counter("cpu", "container_cpu_cfs_throttled_seconds_total",
        "Total time duration the container has been throttled.", l);
    cfsBurstPeriods = counter("cpu", "container_cpu_cfs_burst_periods_total", "Number of periods when burst occurs.", l);
    cfsBurst = counter("cpu", "container_cpu_cfs_burst_seconds_total",
        "Total time duration the container has been bursted.", l);
    schedRun = counter("sched", "container_cpu_schedstat_run_seconds_total",
        "Time duration the processes of the container have run on the CPU.", l);
    schedRunqueue = counter("sched", "container_cpu_schedstat_runqueue_seconds_total",
        "Time duration processes of the container have been waiting on a runqueue.", l);
    schedRunPeriods = counter("sched", "container_cpu_schedstat_run_periods_total",
        "Number of times processes of the cgroup have run on the cpu", l);
    load = gauge("cpuLoad", "container_cpu_load_average_10s",
        "Value of container cpu load average over the last 10 seconds.", l);
    tasks = gauge("cpuLoad", "container_tasks_state", "Number of tasks in given state", plus(l, "state"));

    memCache = gauge("memory", "container_memory_cache", "Number of bytes of page cache memory.", l);
    memRss = gauge("memory", "container_memory_rss", "Size of RSS in bytes.", l);
    memMappedFile = gauge("memory", "container_memory_mapped_file", "Size of memory mapped files in bytes.", l);
    memSwap = gauge("memory", "container_memory_swap", "Container swap usage in bytes.", l);
    memFailcnt = counter("memory", "container_memory_failcnt", "Number of memory usage hits limits", l);
    memUsage = gauge("memory", "container_memory_usage_bytes",
        "Current memory usage in bytes, including all memory regardless of when it was accessed", l);
    memMaxUsage = gauge("memory", "container_memory_max_usage_bytes", "Maximum memory usage recorded in bytes", l);
    memWorkingSet = gauge("memory", "container_memory_working_set_bytes", "Current working set in bytes.", l);
    memActiveFile = gauge("memory", "container_memory_total_active_file_bytes", "Current total active file in bytes.", l);
    memInactiveFile = gauge("memory", "container_memory_total_inactive_file_bytes",
        "Current total inactive file in bytes.", l);
    memFailures = counter("memory", "container_memory_failures_total", "Cumulative count of memory allocation failures.",
        plus(plus(l, "failure_type"), "scope"));
    memEventsHigh = counter("memory", "container_memory_events_high_total",
        "Cumulative count of memory.high throttle events for the container", l);
    memEventsMax = counter("memory", "container_memory_events_max_total",
        "Cumulative count of memory.max limit hit events for the container", l);
    memFileDirty = gauge("memory", "container_memory_file_dirty_bytes",
        "Number of bytes of file cache that has been modified but not yet written back to disk.", l);
    memFileWriteback = gauge("memory", "container_memory_file_writeback_bytes",
        "Number of bytes of file cache that is currently being written back to disk.", l);
    memPgscan = counter("memory", "container_memory_pgscan_total",
        "Cumulative number of pages scanned by the page reclaim algorithm.", l);
    memPgsteal = counter("memory", "container_memory_pgsteal_total",
        "Cumulative number of pages reclaimed by the page reclaim algorithm.", l);
    memRefaultFile = counter("memory", "container_memory_workingset_refault_file_total",
        "Cumulative number of refaults of previously evicted file pages.", l);
    memRefaultAnon = counter("memory", "container_memory_workingset_refault_anon_total",
        "Cumulative number of refaults of previously evicted anonymous pages.", l);
    referenced = gauge("referenced_memory", "container_referenced_bytes",
        "Container referenced bytes during last measurements cycle", l);
    numaPages = gauge("memory_numa", "container_memory_numa_pages", "Number of used pages per NUMA node",
        plus(plus(plus(l, "type"), "scope"), "node"));
    memoryMigrate = gauge("cpuset", "container_memory_migrate", "Memory migrate status.", l);
    hugetlbFailcnt = counter("hugetlb", "container_hugetlb_failcnt", "Number of hugepage usage hits limits",
        plus(l, "pagesize"));
    hugetlbUsage = gauge("hugetlb", "container_hugetlb_usage_bytes", "Current hugepage usage in bytes", plus(l, "pagesize"));
    hugetlbMaxUsage = gauge("hugetlb", "container_hugetlb_max_usage_bytes", "Maximum hugepage usage recorded in bytes",
        plus(l, "pagesize"));

    fsInodesFree = gauge("disk", "container_fs_inodes_free", "Number of available Inodes", device);
    fsInodes = gauge("disk", "container_fs_inodes_total", "Number of Inodes", device);
    fsLimit = gauge("disk", "container_fs_limit_bytes",
        "Number of bytes that can be consumed by the container on this filesystem.", device);
    fsUsage = gauge("disk", "container_fs_usage_bytes",
        "Number of bytes that are consumed by the container on this filesystem.", device);

    fsReadBytes = counter("diskIO", "container_fs_reads_bytes_total", "Cumulative count of bytes read", device);
    fsReads = counter("diskIO", "container_fs_reads_total", "Cumulative count of reads completed", device);
    fsSectorReads = counter("diskIO", "container_fs_sector_reads_total", "Cumulative count of sector reads completed", device);
    fsReadsMerged = counter("diskIO", "container_fs_reads_merged_total", "Cumulative count of reads merged", device);
    fsReadSeconds = counter("diskIO", "container_fs_read_seconds_total", "Cumulative count of seconds spent reading", device);
    fsWriteBytes = counter("diskIO", "container_fs_writes_bytes_total", "Cumulative count of bytes written", device);
    fsWrites = counter("diskIO", "container_fs_writes_total", "Cumulative count of writes completed", device);
    fsSectorWrites = counter("diskIO", "container_fs_sector_writes_total",
        "Cumulative count of sector writes completed", device);
    fsWritesMerged = counter("diskIO", "container_fs_writes_merged_total", "Cumulative count of writes merged", device);
    fsWriteSeconds = counter("diskIO", "container_fs_write_seconds_total",
        "Cumulative count of seconds spent writing", device);
    fsIoCurrent = gauge("diskIO", "container_fs_io_current", "Number of I/Os currently in progress", device);
    fsIoTime = counter("diskIO", "container_fs_io_time_seconds_total", "Cumulative count of seconds spent doing I/Os",
        device);
    fsIoTimeWeighted = counter("diskIO", "container_fs_io_time_weighted_seconds_total",
        "Cumulative weighted I/O time in seconds", device);
    blkioDevice = counter("diskIO", "container_blkio_device_usage_total", "Blkio Device bytes usage",
        plus(plus(plus(device, "major"), "minor"), "operation"));

    rxBytes = counter("network", "container_network_receive_bytes_total", "Cumulative count of bytes received", iface);
    rxPackets = counter("network", "container_network_receive_packets_total", "Cumulative count of packets received",
        iface);
    rxDropped = counter("network", "container_network_receive_packets_dropped_total",
        "Cumulative count of packets dropped while receiving", iface);
    rxErrors = counter("network", "container_network_receive_errors_total",
        "Cumulative count of errors encountered while receiving", iface);
    txBytes = counter("network", "container_network_transmit_bytes_total", "Cumulative count of bytes transmitted",
        iface);
    txPackets = counter("network", "container_network_transmit_packets_total",
        "Cumulative count of packets transmitted", iface);
    txDropped = counter("network", "container_network_transmit_packets_dropped_total",
        "Cumulative count of packets dropped while transmitting", iface);
    txErrors = counter("network", "container_network_transmit_errors_total",
        "Cumulative count of errors encountered while transmitting", iface);
    tcp = gauge("tcp", "container_network_tcp_usage_total", "tcp connection usage statistic for container",
        plus(l, "tcp_state"));
    tcp6 = gauge("tcp", "container_network_tcp6_usage_total", "tcp6 connection usage statistic for container",
        plus(l, "tcp_state"));
    // A gauge in cAdvisor, _total notwithstanding.
    advancedTcp = gauge("advtcp", "container_network_advance_tcp_stats_total",
        "advance tcp connections statistic for container", plus(l, "tcp_state"));
    udp6 = gauge("udp", "container_network_udp6_usage_total", "udp6 connection usage statistic for container",
        plus(l, "udp_state"));
    udp = gauge("udp", "container_network_udp_usage_total", "udp connection usage statistic for container",
        plus(l, "udp_state"));

    processes = gauge("process", "container_processes", "Number of processes running inside the container.", l);
    fileDescriptors = gauge("process", "container_file_descriptors",
        "Number of open file descriptors for the container.", l);
    sockets = gauge("process", "container_sockets", "Number of open sockets for the container.", l);
    threadsMax = gauge("process", "container_threads_max",
        "Maximum number of threads allowed inside the container, infinity if value is zero", l);
    threads = gauge("process", "container_threads", "Number of threads running inside the container", l);

    oomEvents = counter("oom_event", "container_oom_events_total",
        "Count of out of memory events observed for the container", l);
    pressureCpuStalled = counter("pressure", "container_pressure_cpu_stalled_seconds_total",
        "Total time duration no tasks in the container could make progress due to CPU congestion.", l);
    pressureCpuWaiting = counter("pressure", "container_pressure_cpu_waiting_seconds_total",
        "Total time duration tasks in the container have waited due to CPU congestion.", l);
    pressureMemoryStalled = counter("pressure", "container_pressure_memory_stalled_seconds_total",
        "Total time duration no tasks in the container could make progress due to memory congestion.", l);
    pressureMemoryWaiting = counter("pressure", "container_pressure_memory_waiting_seconds_total",
        "Total time duration tasks in the container have waited due to memory congestion.", l);
    pressureIoStalled = counter("pressure", "container_pressure_io_stalled_seconds_total",
        "Total time duration no tasks in the container could make progress due to IO congestion.", l);
    pressureIoWaiting = counter("pressure", "container_pressure_io_waiting_seconds_total",
        "Total time duration tasks in the container have waited due to IO congestion.", l);
  }

  /** Whether the group is served (the collector skips reading what nobody asked for). */
  boolean has(String group) {
    return groups.has(group);
  }

  private Family gauge(String group, String name, String help, String... labels) {
    return family(group, () -> s.gauge(name, help, labels));
  }

  private Family counter(String group, String name, String help, String... labels) {
    return family(group, () -> s.counter(name, help, labels));
  }

  private Family family(String group, Supplier<Family> declare) {
    return group.isEmpty() || groups.has(group) ? new Lazy(declare) : DISABLED;
  }

  private static final Family DISABLED = new Family() {
    @Override
    public Family add(double value, String... labelValues) {
      return this;
    }
  };

  /** Declares its family on the first sample, so families without samples are not exposed at all (as in cAdvisor). */
  private static final class Lazy implements Family {
    private final Supplier<Family> declare;
    private Family family;

    Lazy(Supplier<Family> declare) {
      this.declare = declare;
    }

    @Override
    public Family add(double value, String... labelValues) {
      if (family == null) {
        family = declare.get();
      }
      return family.add(value, labelValues);
    }
  }

  static String[] plus(String[] labels, String extra) {
    String[] out = Arrays.copyOf(labels, labels.length + 1);
    out[labels.length] = extra;
    return out;
  }
}
