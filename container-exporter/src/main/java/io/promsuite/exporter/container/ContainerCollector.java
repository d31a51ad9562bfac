package io.promsuite.exporter.container;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import io.promsuite.exporter.common.collect.MetricSink.Family;
import io.promsuite.exporter.common.collect.Prerendered;
import io.promsuite.exporter.container.source.ContainerInfo;
import io.promsuite.exporter.container.source.HostFiles;
import io.promsuite.exporter.container.source.MetricGroups;
import io.promsuite.exporter.container.source.Usage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * cAdvisor's container families, with cAdvisor's names, help texts, types, units and labels
 * ({@code id}, {@code image}, {@code name} and {@code container_label_<key>} for the allow-listed
 * Docker labels). Each catalog snapshot is rendered to text (and gzip) when the catalog publishes
 * it, on the catalog's thread, so a text scrape copies ready-made bytes whatever the number of
 * containers ({@link Prerendered}).
 */
public final class ContainerCollector implements Collector {
  private static final double NANOS = 1e9;
  private static final double MICROS = 1e6;

  /**
   * The filesystem holding the daemon's data directory, as cAdvisor adds it to the disk and diskIO
   * families of every container with a writable-layer reading.
   *
   * @param device the {@code device} label (the mount's source, else the directory)
   * @param capacityBytes its size (container_fs_limit_bytes), {@link Usage#UNKNOWN} when not local
   * @param diskStats its block device's /proc/diskstats counters, null when it has none (tmpfs, remote)
   */
  public record FsDevice(String device, long capacityBytes, HostFiles.DiskStats diskStats) {}

  private final List<String> allowedLabels;
  private final String[] labelNames;
  private final boolean perCpu;
  private final MetricGroups groups;
  private final Supplier<FsDevice> fsDevice;
  private final AtomicReference<Prerendered> current = new AtomicReference<>();

  /**
   * @param allowedLabels Docker label keys exported as {@code container_label_<sanitised key>}
   * @param perCpu per-CPU {@code cpu="cpuNN"} series where the source has them (cAdvisor's default),
   *     else one {@code cpu="total"} series
   * @param groups cAdvisor's metric groups to serve
   * @param fsDevice the filesystem of the daemon's data directory, asked once per rendering that
   *     has writable-layer readings
   */
  public ContainerCollector(ContainerCatalog catalog, List<String> allowedLabels, boolean perCpu, MetricGroups groups,
      Supplier<FsDevice> fsDevice) {
    this.fsDevice = fsDevice;
    this.perCpu = perCpu && groups.has("percpu");
    this.groups = groups;
    List<String> keys = new ArrayList<>();
    LinkedHashSet<String> names = new LinkedHashSet<>(List.of("id", "image", "name"));
    for (String key : allowedLabels) {
      // Two keys that sanitise to the same name: the first wins, as in cAdvisor.
      if (names.add("container_label_" + sanitise(key))) {
        keys.add(key);
      }
    }
    this.allowedLabels = List.copyOf(keys);
    this.labelNames = names.toArray(String[]::new);
    catalog.onPublish(snap -> current.set(renderText(snap)));
    // Unless a refresh got in first, start from what the catalog has now.
    current.compareAndSet(null, renderText(catalog.snapshot()));
  }

  /** cAdvisor's label name rule: every character outside [a-zA-Z0-9_] becomes '_'. */
  static String sanitise(String key) {
    return key.replaceAll("[^a-zA-Z0-9_]", "_");
  }

  /** The families as rendered at the last refresh. */
  @Override
  public void collect(MetricSink sink) {
    sink.prerendered(current.get());
  }

  private Prerendered renderText(ContainerCatalog.Snapshot snap) {
    // Read once, so a replay for OpenMetrics or protobuf writes what the text has.
    FsDevice fs = snap.fsUsage().isEmpty() ? null : fsDevice.get();
    return Prerendered.render(sink -> collect(snap, fs, sink));
  }

  private void collect(ContainerCatalog.Snapshot snap, FsDevice fs, MetricSink sink) {
    sink.gauge("container_scrape_error", "1 if there was an error while getting container metrics, 0 otherwise")
        .add(snap.dockerUp() ? 0 : 1);
    Families f = new Families(sink, labelNames, groups);
    for (ContainerCatalog.Entry e : snap.containers()) {
      String[] l = labelValues(e.info());
      write(f, e, l);
      ContainerCatalog.Layer layer = snap.fsUsage().get(e.info().id());
      DiskSeries.write(f, e.usage(), layer == null ? null : fs, layer, l);
    }
  }

  private String[] labelValues(ContainerInfo c) {
    String[] v = new String[labelNames.length];
    v[0] = c.cgroupPath();
    v[1] = c.image();
    v[2] = c.name();
    Map<String, String> labels = c.labels();
    for (int i = 0; i < allowedLabels.size(); i++) {
      v[3 + i] = labels.getOrDefault(allowedLabels.get(i), "");
    }
    return v;
  }

  private void write(Families f, ContainerCatalog.Entry e, String[] l) {
    ContainerInfo c = e.info();
    Usage u = e.usage();
    f.lastSeen.add(e.seenAt(), l);
    // cAdvisor: 1 healthy, 0 starting or unhealthy, -1 without a health check.
    f.health.add(switch (c.health()) {
      case "healthy" -> 1;
      case "" -> -1;
      default -> 0;
    }, l);
    f.startTime.add(c.startTimeSeconds(), l);

    // Spec as cAdvisor reads it from the cgroup: the kernel's defaults when Docker set nothing.
    f.specPeriod.add(c.cpuPeriod() > 0 ? c.cpuPeriod() : 100_000, l);
    if (c.cpuQuota() > 0) {
      f.specQuota.add(c.cpuQuota(), l);
    }
    f.specShares.add(c.cpuShares() > 0 ? c.cpuShares() : 1024, l);
    f.specMemory.add(c.memoryLimitBytes(), l);
    Usage.Memory m = u.memory();
    f.specMemoryReservation.add(m.reservation() >= 0 ? m.reservation() : c.memoryReservationBytes(), l);
    f.specMemorySwap.add(m.swapLimit() >= 0 ? m.swapLimit() : c.memorySwapBytes(), l);

    seconds(f.cpuUser, u.cpuUserNanos(), l);
    seconds(f.cpuSystem, u.cpuSystemNanos(), l);
    List<Long> percpu = u.perCpuNanos();
    if (perCpu && !percpu.isEmpty()) {
      for (int i = 0; i < percpu.size(); i++) {
        if (percpu.get(i) > 0) {
          f.cpuUsage.add(percpu.get(i) / NANOS, with(l, String.format("cpu%02d", i)));
        }
      }
    } else if (u.cpuTotalNanos() > 0) {
      f.cpuUsage.add(u.cpuTotalNanos() / NANOS, with(l, "total"));
    }
    if (c.cpuQuota() > 0) {
      value(f.cfsPeriods, u.cfsPeriods(), l);
      value(f.cfsThrottledPeriods, u.cfsThrottledPeriods(), l);
      seconds(f.cfsThrottled, u.cfsThrottledNanos(), l);
      value(f.cfsBurstPeriods, u.cfsBursts(), l);
      seconds(f.cfsBurst, u.cfsBurstNanos(), l);
    }
    if (e.loadAverage() >= 0) {
      // cAdvisor exports the smoothed count in thousandths, truncated.
      f.load.add((int) (e.loadAverage() * 1000), l);
    }
    Usage.OptIn o = u.optIn();
    seconds(f.schedRun, o.runNanos(), l);
    seconds(f.schedRunqueue, o.runqueueNanos(), l);
    value(f.schedRunPeriods, o.runPeriods(), l);
    value(f.referenced, o.referencedBytes(), l);
    for (Usage.NumaPages n : o.numaPages()) {
      f.numaPages.add(n.pages(), with(with(with(l, n.type()), n.scope()), Integer.toString(n.node())));
    }
    states(f.advancedTcp, o.advancedTcp(), l);
    for (Map.Entry<String, Long> t : u.taskStates().entrySet()) {
      f.tasks.add(t.getValue(), with(l, t.getKey()));
    }

    value(f.memCache, u.memoryCache(), l);
    value(f.memRss, u.memoryRss(), l);
    value(f.memMappedFile, m.mappedFile(), l);
    value(f.memSwap, u.memorySwap(), l);
    value(f.memFailcnt, u.memoryFailcnt(), l);
    value(f.memUsage, u.memoryUsage(), l);
    value(f.memMaxUsage, u.memoryMaxUsage(), l);
    value(f.memWorkingSet, u.memoryWorkingSet(), l);
    value(f.memActiveFile, m.activeFile(), l);
    value(f.memInactiveFile, m.inactiveFile(), l);
    if (m.pgfault() >= 0) {
      // cAdvisor gives memory.stat's pgfault and pgmajfault for both scopes.
      f.memFailures.add(m.pgfault(), with(with(l, "pgfault"), "container"));
      f.memFailures.add(m.pgmajfault(), with(with(l, "pgmajfault"), "container"));
      f.memFailures.add(m.pgfault(), with(with(l, "pgfault"), "hierarchy"));
      f.memFailures.add(m.pgmajfault(), with(with(l, "pgmajfault"), "hierarchy"));
    }
    value(f.memEventsHigh, m.eventsHigh(), l);
    value(f.memEventsMax, m.eventsMax(), l);
    value(f.memFileDirty, m.fileDirty(), l);
    value(f.memFileWriteback, m.fileWriteback(), l);
    value(f.memPgscan, m.pgscan(), l);
    value(f.memPgsteal, m.pgsteal(), l);
    value(f.memRefaultFile, m.refaultFile(), l);
    value(f.memRefaultAnon, m.refaultAnon(), l);
    value(f.oomEvents, m.oomKills(), l);

    Usage.Pressure p = u.pressure();
    micros(f.pressureCpuStalled, p.cpuFull(), l);
    micros(f.pressureCpuWaiting, p.cpuSome(), l);
    micros(f.pressureMemoryStalled, p.memoryFull(), l);
    micros(f.pressureMemoryWaiting, p.memorySome(), l);
    micros(f.pressureIoStalled, p.ioFull(), l);
    micros(f.pressureIoWaiting, p.ioSome(), l);

    for (Usage.NetworkInterface n : u.networks()) {
      String[] nl = with(l, n.name());
      value(f.rxBytes, n.rxBytes(), nl);
      value(f.rxPackets, n.rxPackets(), nl);
      value(f.rxDropped, n.rxDropped(), nl);
      value(f.rxErrors, n.rxErrors(), nl);
      value(f.txBytes, n.txBytes(), nl);
      value(f.txPackets, n.txPackets(), nl);
      value(f.txDropped, n.txDropped(), nl);
      value(f.txErrors, n.txErrors(), nl);
    }
    Usage.Processes pr = u.processes();
    states(f.tcp, pr.tcp(), l);
    states(f.tcp6, pr.tcp6(), l);
    states(f.udp, pr.udp(), l);
    states(f.udp6, pr.udp6(), l);
    value(f.processes, pr.processes(), l);
    value(f.fileDescriptors, pr.fileDescriptors(), l);
    value(f.sockets, pr.sockets(), l);
    value(f.threadsMax, u.pidsLimit(), l);
    value(f.threads, u.pids(), l);
    value(f.memoryMigrate, pr.memoryMigrate(), l);
    for (Map.Entry<String, long[]> h : pr.hugetlb().entrySet()) {
      String[] hl = with(l, h.getKey());
      value(f.hugetlbUsage, h.getValue()[0], hl);
      value(f.hugetlbMaxUsage, h.getValue()[1], hl);
      value(f.hugetlbFailcnt, h.getValue()[2], hl);
    }
  }

  private static void states(Family family, Map<String, Long> counts, String[] labels) {
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      family.add(e.getValue(), with(labels, e.getKey()));
    }
  }

  private static void value(Family family, long v, String[] labels) {
    if (v >= 0) {
      family.add(v, labels);
    }
  }

  private static void seconds(Family family, long nanos, String[] labels) {
    if (nanos >= 0) {
      family.add(nanos / NANOS, labels);
    }
  }

  private static void micros(Family family, long micros, String[] labels) {
    if (micros >= 0) {
      family.add(micros / MICROS, labels);
    }
  }

  private static String[] with(String[] labels, String extra) {
    return Families.plus(labels, extra);
  }
}
