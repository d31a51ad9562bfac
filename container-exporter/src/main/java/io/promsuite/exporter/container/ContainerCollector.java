package io.promsuite.exporter.container;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import io.promsuite.exporter.common.collect.MetricSink.Family;
import io.promsuite.exporter.common.collect.Prerendered;
import io.promsuite.exporter.container.source.ContainerInfo;
import io.promsuite.exporter.container.source.Usage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * cAdvisor's container families, with cAdvisor's names, help texts, types, units and labels
 * ({@code id}, {@code image}, {@code name} and {@code container_label_<key>} for the allow-listed
 * Docker labels). Each catalog snapshot is rendered to text (and gzip) when the catalog publishes
 * it, on the catalog's thread, so a text scrape copies ready-made bytes whatever the number of
 * containers ({@link Prerendered}).
 */
public final class ContainerCollector implements Collector {
  private static final double NANOS = 1e9;

  private final List<String> allowedLabels;
  private final String[] labelNames;
  private final boolean perCpu;
  private final java.util.function.Supplier<String> fsDevice;
  private final ContainerCatalog catalog;
  private final java.util.concurrent.atomic.AtomicReference<Prerendered> current =
      new java.util.concurrent.atomic.AtomicReference<>();

  /**
   * @param allowedLabels Docker label keys exported as {@code container_label_<sanitised key>}
   * @param perCpu per-CPU {@code cpu="cpuNN"} series where the source has them (cAdvisor's default),
   *     else one {@code cpu="total"} series
   * @param fsDevice the {@code device} label of container_fs_usage_bytes: the filesystem holding
   *     the daemon's data directory
   */
  public ContainerCollector(ContainerCatalog catalog, List<String> allowedLabels, boolean perCpu,
      java.util.function.Supplier<String> fsDevice) {
    this.fsDevice = fsDevice;
    this.perCpu = perCpu;
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
    this.catalog = catalog;
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
    return Prerendered.render(sink -> collect(snap, sink));
  }

  private void collect(ContainerCatalog.Snapshot snap, MetricSink sink) {
    sink.gauge("container_scrape_error", "1 if there was an error while getting container metrics, 0 otherwise")
        .add(snap.dockerUp() ? 0 : 1);
    Families f = new Families(sink, labelNames);
    String device = snap.fsUsage().isEmpty() ? "" : fsDevice.get();
    for (ContainerCatalog.Entry e : snap.containers()) {
      write(f, e);
      Long layer = snap.fsUsage().get(e.info().id());
      if (layer != null) {
        f.fsUsage.add(layer, with(labelValues(e.info()), device));
      }
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

  private void write(Families f, ContainerCatalog.Entry e) {
    ContainerInfo c = e.info();
    Usage u = e.usage();
    String[] l = labelValues(c);
    f.lastSeen.add(e.seenAt(), l);
    f.startTime.add(c.startTimeSeconds(), l);

    // Spec as cAdvisor reads it from the cgroup: the kernel's defaults when Docker set nothing.
    f.specPeriod.add(c.cpuPeriod() > 0 ? c.cpuPeriod() : 100_000, l);
    if (c.cpuQuota() > 0) {
      f.specQuota.add(c.cpuQuota(), l);
    }
    f.specShares.add(c.cpuShares() > 0 ? c.cpuShares() : 1024, l);
    f.specMemory.add(c.memoryLimitBytes(), l);

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
    }

    value(f.memCache, u.memoryCache(), l);
    value(f.memRss, u.memoryRss(), l);
    value(f.memSwap, u.memorySwap(), l);
    value(f.memFailcnt, u.memoryFailcnt(), l);
    value(f.memUsage, u.memoryUsage(), l);
    value(f.memMaxUsage, u.memoryMaxUsage(), l);
    value(f.memWorkingSet, u.memoryWorkingSet(), l);

    for (Usage.NetworkInterface n : u.networks()) {
      String[] nl = with(l, n.name());
      value(f.rxBytes, n.rxBytes(), nl);
      value(f.rxErrors, n.rxErrors(), nl);
      value(f.rxDropped, n.rxDropped(), nl);
      value(f.rxPackets, n.rxPackets(), nl);
      value(f.txBytes, n.txBytes(), nl);
      value(f.txErrors, n.txErrors(), nl);
      value(f.txDropped, n.txDropped(), nl);
      value(f.txPackets, n.txPackets(), nl);
    }
    for (Usage.BlockIo io : u.blockIo()) {
      String[] dl = with(l, io.device());
      value(f.fsReadBytes, io.readBytes(), dl);
      value(f.fsWriteBytes, io.writeBytes(), dl);
    }
    for (Map.Entry<String, Long> t : u.taskStates().entrySet()) {
      f.tasks.add(t.getValue(), with(l, t.getKey()));
    }
    value(f.threads, u.pids(), l);
    value(f.threadsMax, u.pidsLimit(), l);
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

  private static String[] with(String[] labels, String extra) {
    String[] out = Arrays.copyOf(labels, labels.length + 1);
    out[labels.length] = extra;
    return out;
  }
}
