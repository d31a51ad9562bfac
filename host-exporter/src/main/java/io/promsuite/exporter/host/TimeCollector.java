package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.stream.Stream;

/** node_exporter's {@code time} collector: wall clock, zone offset and clock sources. */
public final class TimeCollector implements Collector {
  private static final DateTimeFormatter ZONE = DateTimeFormatter.ofPattern("zzz", Locale.ROOT);
  private final HostPaths paths;
  private final Clock clock;

  public TimeCollector(HostPaths paths, Clock clock) {
    this.paths = paths;
    this.clock = clock;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    ZonedDateTime now = ZonedDateTime.now(clock);
    sink.gauge("node_time_seconds", "System time in seconds since epoch (1970).")
        .add(now.toInstant().toEpochMilli() / 1000.0 + (now.getNano() % 1_000_000) / 1e9);
    sink.gauge("node_time_zone_offset_seconds", "System time zone offset in seconds.", "time_zone")
        .add(now.getOffset().getTotalSeconds(), zoneName(now));
    MetricSink.Family available = sink.info("node_time_clocksource_available_info",
        "Available clocksources read from '/sys/devices/system/clocksource'.", "clocksource", "device");
    MetricSink.Family current = sink.info("node_time_clocksource_current_info",
        "Current clocksource read from '/sys/devices/system/clocksource'.", "clocksource", "device");
    Path base = paths.sys("devices/system/clocksource");
    if (!Files.isDirectory(base)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(base)) {
      for (Path dir : dirs.filter(p -> p.getFileName().toString().startsWith("clocksource")).sorted().toList()) {
        String device = dir.getFileName().toString().substring("clocksource".length());
        Path av = dir.resolve("available_clocksource");
        if (Files.isReadable(av)) {
          for (String cs : Fields.split(HostPaths.readLine(av))) {
            available.add(1, cs, device);
          }
        }
        Path cur = dir.resolve("current_clocksource");
        if (Files.isReadable(cur)) {
          current.add(1, HostPaths.readLine(cur), device);
        }
      }
    }
  }

  /**
   * node_exporter's label: the local zone file's abbreviation ("CET", "CEST", "IST", "-03"), as
   * Go's time.Now().Zone() gives it; the JDK's name only where no such file is read (a clock in
   * another zone, TZ naming no file), for the JDK's own names differ ("GMT+01:00" for CET).
   */
  private String zoneName(ZonedDateTime now) {
    ZoneAbbreviation a = clock.getZone().equals(java.time.ZoneId.systemDefault()) ? LocalZone.FILE : null;
    String name = a == null ? null : a.at(now.toInstant(), now.getZone().getRules());
    return name == null || name.isEmpty() ? now.format(ZONE) : name;
  }

  /** The process's zone file, read once at the first scrape that needs it (Go loads its Local zone once). */
  private static final class LocalZone {
    static final ZoneAbbreviation FILE = read();

    private static ZoneAbbreviation read() {
      Path file = ZoneAbbreviation.localZoneFile(System.getenv());
      try {
        return file == null ? null : ZoneAbbreviation.read(file);
      } catch (java.io.IOException e) {
        return null;
      }
    }
  }
}
