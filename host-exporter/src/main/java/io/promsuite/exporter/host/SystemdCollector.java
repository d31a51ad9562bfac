package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import io.promsuite.exporter.common.log.Logging;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;

/**
 * node_exporter 1.5's systemd collector: unit states, the unit summary, the manager's version and
 * system state, socket and timer figures, and behind their flags the start time, task and restart
 * families, read from systemd over D-Bus on a connection opened for each scrape (as node_exporter).
 */
public final class SystemdCollector implements Collector {
  /** node_exporter 1.5's default --collector.systemd.unit-exclude (Debian's build adds "target"). */
  static final String DEFAULT_UNIT_EXCLUDE = ".+\\.(automount|device|mount|scope|slice)";

  /** Below this version the manager has no SystemState and timers no LastTriggerUSec. */
  private static final double MIN_VERSION_SYSTEM_STATE = 212;
  private static final List<String> STATES = List.of("active", "activating", "deactivating", "inactive", "failed");
  private static final Pattern VERSION = Pattern.compile("[0-9]{3,}(\\.[0-9]+)?");
  private static final Logger LOG = Logger.getLogger(SystemdCollector.class.getName());

  /** Which units, and which optional families (each its --collector.systemd.enable-* flag). */
  public record Options(Pattern unitInclude, Pattern unitExclude, boolean taskMetrics, boolean restartsMetrics,
      boolean startTimeMetrics) {}

  /** Opens a connection to systemd; one per scrape. */
  @FunctionalInterface
  interface Connector {
    SystemdBus connect() throws IOException;
  }

  private final Connector connector;
  private final Options options;

  SystemdCollector(Connector connector, Options options) {
    this.connector = connector;
    this.options = options;
  }

  /**
   * The collector for the bus at {@code address} (as root, with systemd's private socket when the bus
   * does not answer), or for systemd's private socket only when {@code direct}.
   */
  public static SystemdCollector atAddress(String address, boolean direct, boolean root, Options options) {
    return new SystemdCollector(() -> SystemdBus.connect(address, direct, root), options);
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    try (SystemdBus bus = connector.connect()) {
      String versionFull = "";
      double version = 0;
      try {
        String v = String.valueOf(bus.managerProperty("Version"));
        Matcher m = VERSION.matcher(v);
        if (m.find()) {
          version = Double.parseDouble(m.group());
          versionFull = v;
        }
      } catch (IOException e) {
        Logging.log(LOG, Level.FINE, "Unable to get systemd version property, defaulting to 0", "err", e.getMessage());
      }
      sink.gauge("node_systemd_version", "Detected systemd version", "version").add(version, versionFull);

      List<SystemdBus.Unit> all = bus.listUnits();
      Map<String, Double> summary = new LinkedHashMap<>();
      STATES.forEach(s -> summary.put(s, 0.0));
      all.forEach(u -> summary.merge(u.activeState(), 1.0, Double::sum));
      MetricSink.Family units = sink.gauge("node_systemd_units", "Summary of systemd unit states", "state");
      summary.forEach((state, n) -> units.add(n, state));

      List<SystemdBus.Unit> chosen = new ArrayList<>();
      for (SystemdBus.Unit u : all) {
        if (options.unitInclude().matcher(u.name()).matches() && !options.unitExclude().matcher(u.name()).matches()
            && u.loadState().equals("loaded")) {
          chosen.add(u);
        }
      }
      unitStates(bus, sink, chosen);
      if (options.startTimeMetrics()) {
        startTimes(bus, sink, chosen);
      }
      if (options.taskMetrics()) {
        tasks(bus, sink, chosen);
      }
      if (version >= MIN_VERSION_SYSTEM_STATE) {
        timers(bus, sink, chosen);
      }
      sockets(bus, sink, chosen);
      if (version >= MIN_VERSION_SYSTEM_STATE) {
        Object state = bus.managerProperty("SystemState");
        sink.gauge("node_systemd_system_running", "Whether the system is operational (see 'systemctl is-system-running')")
            .add("running".equals(state) ? 1 : 0);
      }
    }
  }

  private void unitStates(SystemdBus bus, MetricSink sink, List<SystemdBus.Unit> units) {
    MetricSink.Family state = sink.gauge("node_systemd_unit_state", "Systemd unit", "name", "state", "type");
    MetricSink.Family restarts = options.restartsMetrics()
        ? sink.counter("node_systemd_service_restart_total", "Service unit count of Restart triggers", "name") : null;
    for (SystemdBus.Unit u : units) {
      String type = "";
      String iface = u.name().endsWith(".service") ? "Service" : u.name().endsWith(".mount") ? "Mount" : null;
      if (iface != null) {
        Object t = optional(bus, u, iface, "Type");
        type = t == null ? "" : t.toString();
      }
      for (String s : STATES) {
        state.add(s.equals(u.activeState()) ? 1 : 0, u.name(), s, type);
      }
      if (restarts != null && u.name().endsWith(".service")) {
        // NRestarts came with systemd 235.
        Object n = optional(bus, u, "Service", "NRestarts");
        if (n != null) {
          restarts.add(number(n), u.name());
        }
      }
    }
  }

  private static void startTimes(SystemdBus bus, MetricSink sink, List<SystemdBus.Unit> units) {
    MetricSink.Family start = sink.gauge("node_systemd_unit_start_time_seconds",
        "Start time of the unit since unix epoch in seconds.", "name");
    for (SystemdBus.Unit u : units) {
      if (!u.activeState().equals("active")) {
        start.add(0, u.name());
        continue;
      }
      Object usec = optional(bus, u, "Unit", "ActiveEnterTimestamp");
      if (usec != null) {
        start.add(number(usec) / 1e6, u.name());
      }
    }
  }

  private static void tasks(SystemdBus bus, MetricSink sink, List<SystemdBus.Unit> units) {
    MetricSink.Family current = sink.gauge("node_systemd_unit_tasks_current", "Current number of tasks per Systemd unit",
        "name");
    MetricSink.Family max = sink.gauge("node_systemd_unit_tasks_max", "Maximum number of tasks per Systemd unit", "name");
    for (SystemdBus.Unit u : units) {
      if (!u.name().endsWith(".service")) {
        continue;
      }
      // systemd says "no figure" with the largest uint64; node_exporter leaves such a sample out.
      Object c = optional(bus, u, "Service", "TasksCurrent");
      if (c != null && !isMaxUint64(c)) {
        current.add(number(c), u.name());
      }
      Object m = optional(bus, u, "Service", "TasksMax");
      if (m != null && !isMaxUint64(m)) {
        max.add(number(m), u.name());
      }
    }
  }

  private static void timers(SystemdBus bus, MetricSink sink, List<SystemdBus.Unit> units) {
    MetricSink.Family last = sink.gauge("node_systemd_timer_last_trigger_seconds", "Seconds since epoch of last trigger.",
        "name");
    for (SystemdBus.Unit u : units) {
      if (u.name().endsWith(".timer")) {
        Object usec = optional(bus, u, "Timer", "LastTriggerUSec");
        if (usec != null) {
          last.add(number(usec) / 1e6, u.name());
        }
      }
    }
  }

  private static void sockets(SystemdBus bus, MetricSink sink, List<SystemdBus.Unit> units) {
    MetricSink.Family accepted = sink.counter("node_systemd_socket_accepted_connections_total",
        "Total number of accepted socket connections", "name");
    MetricSink.Family current = sink.gauge("node_systemd_socket_current_connections",
        "Current number of socket connections", "name");
    // A gauge despite its _total, as in node_exporter 1.5.
    MetricSink.Family refused = sink.gauge("node_systemd_socket_refused_connections_total",
        "Total number of refused socket connections", "name");
    for (SystemdBus.Unit u : units) {
      if (!u.name().endsWith(".socket")) {
        continue;
      }
      Object a = optional(bus, u, "Socket", "NAccepted");
      if (a == null) {
        continue;
      }
      accepted.add(number(a), u.name());
      Object c = optional(bus, u, "Socket", "NConnections");
      if (c == null) {
        continue;
      }
      current.add(number(c), u.name());
      // NRefused came with systemd 239.
      Object r = optional(bus, u, "Socket", "NRefused");
      if (r != null) {
        refused.add(number(r), u.name());
      }
    }
  }

  /** A unit property, or null (logged at debug, as node_exporter does) when systemd does not give it. */
  private static Object optional(SystemdBus bus, SystemdBus.Unit u, String iface, String name) {
    try {
      return bus.unitProperty(u.path(), iface, name);
    } catch (IOException e) {
      Logging.log(LOG, Level.FINE, "couldn't get unit " + name, "unit", u.name(), "err", e.getMessage());
      return null;
    }
  }

  private static boolean isMaxUint64(Object v) {
    return v instanceof UInt64 u && u.value().equals(UInt64.MAX_BIG_VALUE);
  }

  private static double number(Object v) {
    if (v instanceof UInt64 u) {
      return u.value().doubleValue();
    }
    if (v instanceof UInt32 u) {
      return u.longValue();
    }
    return ((Number) v).doubleValue();
  }
}
