package io.promsuite.exporter.container;

import io.promsuite.exporter.common.collect.MetricSink;
import io.promsuite.exporter.common.collect.MetricSink.Family;
import java.util.Arrays;

/** cAdvisor's container families (names, help texts, types and extra labels as cAdvisor has them). */
final class Families {
  final Family lastSeen;
  final Family startTime;
  final Family specPeriod;
  final Family specQuota;
  final Family specShares;
  final Family specMemory;
  final Family cpuUser;
  final Family cpuSystem;
  final Family cpuUsage;
  final Family cfsPeriods;
  final Family cfsThrottledPeriods;
  final Family cfsThrottled;
  final Family memCache;
  final Family memRss;
  final Family memSwap;
  final Family memFailcnt;
  final Family memUsage;
  final Family memMaxUsage;
  final Family memWorkingSet;
  final Family rxBytes;
  final Family rxErrors;
  final Family rxDropped;
  final Family rxPackets;
  final Family txBytes;
  final Family txErrors;
  final Family txDropped;
  final Family txPackets;
  final Family fsReadBytes;
  final Family fsWriteBytes;
  final Family tasks;
  final Family threads;
  final Family threadsMax;

  Families(MetricSink s, String[] l) {
    String[] cpu = plus(l, "cpu");
    String[] iface = plus(l, "interface");
    String[] device = plus(l, "device");
    lastSeen = s.gauge("container_last_seen", "Last time a container was seen by the exporter", l);
    startTime = s.gauge("container_start_time_seconds", "Start time of the container since unix epoch in seconds.", l);
    specPeriod = s.gauge("container_spec_cpu_period", "CPU period of the container.", l);
    specQuota = s.gauge("container_spec_cpu_quota", "CPU quota of the container.", l);
    specShares = s.gauge("container_spec_cpu_shares", "CPU share of the container.", l);
    specMemory = s.gauge("container_spec_memory_limit_bytes", "Memory limit for the container.", l);
    cpuUser = s.counter("container_cpu_user_seconds_total", "Cumulative user cpu time consumed in seconds.", l);
    cpuSystem = s.counter("container_cpu_system_seconds_total", "Cumulative system cpu time consumed in seconds.", l);
    cpuUsage = s.counter("container_cpu_usage_seconds_total", "Cumulative cpu time consumed in seconds.", cpu);
    cfsPeriods = s.counter("container_cpu_cfs_periods_total", "Number of elapsed enforcement period intervals.", l);
    cfsThrottledPeriods = s.counter("container_cpu_cfs_throttled_periods_total", "Number of throttled period intervals.", l);
    cfsThrottled = s.counter("container_cpu_cfs_throttled_seconds_total",
        "Total time duration the container has been throttled.", l);
    memCache = s.gauge("container_memory_cache", "Number of bytes of page cache memory.", l);
    memRss = s.gauge("container_memory_rss", "Size of RSS in bytes.", l);
    memSwap = s.gauge("container_memory_swap", "Container swap usage in bytes.", l);
    // cAdvisor types failcnt as a counter but does not give it a _total name; kept for compatibility.
    memFailcnt = s.gauge("container_memory_failcnt", "Number of memory usage hits limits", l);
    memUsage = s.gauge("container_memory_usage_bytes",
        "Current memory usage in bytes, including all memory regardless of when it was accessed", l);
    memMaxUsage = s.gauge("container_memory_max_usage_bytes", "Maximum memory usage recorded in bytes", l);
    memWorkingSet = s.gauge("container_memory_working_set_bytes", "Current working set in bytes.", l);
    rxBytes = s.counter("container_network_receive_bytes_total", "Cumulative count of bytes received", iface);
    rxErrors = s.counter("container_network_receive_errors_total",
        "Cumulative count of errors encountered while receiving", iface);
    rxDropped = s.counter("container_network_receive_packets_dropped_total",
        "Cumulative count of packets dropped while receiving", iface);
    rxPackets = s.counter("container_network_receive_packets_total", "Cumulative count of packets received", iface);
    txBytes = s.counter("container_network_transmit_bytes_total", "Cumulative count of bytes transmitted", iface);
    txErrors = s.counter("container_network_transmit_errors_total",
        "Cumulative count of errors encountered while transmitting", iface);
    txDropped = s.counter("container_network_transmit_packets_dropped_total",
        "Cumulative count of packets dropped while transmitting", iface);
    txPackets = s.counter("container_network_transmit_packets_total", "Cumulative count of packets transmitted", iface);
    fsReadBytes = s.counter("container_fs_reads_bytes_total", "Cumulative count of bytes read", device);
    fsWriteBytes = s.counter("container_fs_writes_bytes_total", "Cumulative count of bytes written", device);
    tasks = s.gauge("container_tasks_state", "Number of tasks in given state", plus(l, "state"));
    threads = s.gauge("container_threads", "Number of threads running inside the container", l);
    threadsMax = s.gauge("container_threads_max",
        "Maximum number of threads allowed inside the container, infinity if value is zero", l);
  }

  private static String[] plus(String[] labels, String extra) {
    String[] out = Arrays.copyOf(labels, labels.length + 1);
    out[labels.length] = extra;
    return out;
  }
}
