package io.promsuite.exporter.container;

import io.promsuite.exporter.common.collect.MetricSink;
import io.promsuite.exporter.common.collect.MetricSink.Family;
import java.util.Arrays;
import java.util.function.Supplier;

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
  final Family fsUsage;
  final Family tasks;
  final Family threads;
  final Family threadsMax;

  Families(MetricSink s, String[] l) {
    String[] cpu = plus(l, "cpu");
    String[] iface = plus(l, "interface");
    String[] device = plus(l, "device");
    lastSeen = gauge(s, "container_last_seen", "Last time a container was seen by the exporter", l);
    startTime = gauge(s, "container_start_time_seconds", "Start time of the container since unix epoch in seconds.", l);
    specPeriod = gauge(s, "container_spec_cpu_period", "CPU period of the container.", l);
    specQuota = gauge(s, "container_spec_cpu_quota", "CPU quota of the container.", l);
    specShares = gauge(s, "container_spec_cpu_shares", "CPU share of the container.", l);
    specMemory = gauge(s, "container_spec_memory_limit_bytes", "Memory limit for the container.", l);
    cpuUser = counter(s, "container_cpu_user_seconds_total", "Cumulative user cpu time consumed in seconds.", l);
    cpuSystem = counter(s, "container_cpu_system_seconds_total", "Cumulative system cpu time consumed in seconds.", l);
    cpuUsage = counter(s, "container_cpu_usage_seconds_total", "Cumulative cpu time consumed in seconds.", cpu);
    cfsPeriods = counter(s, "container_cpu_cfs_periods_total", "Number of elapsed enforcement period intervals.", l);
    cfsThrottledPeriods = counter(s, "container_cpu_cfs_throttled_periods_total", "Number of throttled period intervals.", l);
    cfsThrottled = counter(s, "container_cpu_cfs_throttled_seconds_total",
        "Total time duration the container has been throttled.", l);
    memCache = gauge(s, "container_memory_cache", "Number of bytes of page cache memory.", l);
    memRss = gauge(s, "container_memory_rss", "Size of RSS in bytes.", l);
    memSwap = gauge(s, "container_memory_swap", "Container swap usage in bytes.", l);
    // cAdvisor types failcnt as a counter but does not give it a _total name; kept for compatibility.
    memFailcnt = gauge(s, "container_memory_failcnt", "Number of memory usage hits limits", l);
    memUsage = gauge(s, "container_memory_usage_bytes",
        "Current memory usage in bytes, including all memory regardless of when it was accessed", l);
    memMaxUsage = gauge(s, "container_memory_max_usage_bytes", "Maximum memory usage recorded in bytes", l);
    memWorkingSet = gauge(s, "container_memory_working_set_bytes", "Current working set in bytes.", l);
    rxBytes = counter(s, "container_network_receive_bytes_total", "Cumulative count of bytes received", iface);
    rxErrors = counter(s, "container_network_receive_errors_total",
        "Cumulative count of errors encountered while receiving", iface);
    rxDropped = counter(s, "container_network_receive_packets_dropped_total",
        "Cumulative count of packets dropped while receiving", iface);
    rxPackets = counter(s, "container_network_receive_packets_total", "Cumulative count of packets received", iface);
    txBytes = counter(s, "container_network_transmit_bytes_total", "Cumulative count of bytes transmitted", iface);
    txErrors = counter(s, "container_network_transmit_errors_total",
        "Cumulative count of errors encountered while transmitting", iface);
    txDropped = counter(s, "container_network_transmit_packets_dropped_total",
        "Cumulative count of packets dropped while transmitting", iface);
    txPackets = counter(s, "container_network_transmit_packets_total", "Cumulative count of packets transmitted", iface);
    fsReadBytes = counter(s, "container_fs_reads_bytes_total", "Cumulative count of bytes read", device);
    fsWriteBytes = counter(s, "container_fs_writes_bytes_total", "Cumulative count of bytes written", device);
    fsUsage = gauge(s, "container_fs_usage_bytes", "Number of bytes that are consumed by the container on this filesystem.", device);
    tasks = gauge(s, "container_tasks_state", "Number of tasks in given state", plus(l, "state"));
    threads = gauge(s, "container_threads", "Number of threads running inside the container", l);
    threadsMax = gauge(s, "container_threads_max",
        "Maximum number of threads allowed inside the container, infinity if value is zero", l);
  }

  private static Family gauge(MetricSink sink, String name, String help, String... labels) {
    return new Lazy(() -> sink.gauge(name, help, labels));
  }

  private static Family counter(MetricSink sink, String name, String help, String... labels) {
    return new Lazy(() -> sink.counter(name, help, labels));
  }

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

  private static String[] plus(String[] labels, String extra) {
    String[] out = Arrays.copyOf(labels, labels.length + 1);
    out[labels.length] = extra;
    return out;
  }
}
