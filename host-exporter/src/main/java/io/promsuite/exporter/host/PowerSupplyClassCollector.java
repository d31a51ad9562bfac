package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * node_exporter's {@code powersupplyclass} collector: batteries, AC adapters and UPSes from
 * /sys/class/power_supply, in amperes, volts, watt-hours and degrees Celsius, plus
 * {@code node_power_supply_info}.
 */
public final class PowerSupplyClassCollector implements Collector {
  public static final String DEFAULT_IGNORED_SUPPLIES = "^$";

  /** attribute file, metric suffix, divisor (µA, µV, µWh, µW -> base units; tenths of a degree). */
  private static final Object[][] NUMBERS = {
      {"authentic", "authentic", 1.0}, {"calibrate", "calibrate", 1.0}, {"capacity", "capacity", 1.0},
      {"capacity_alert_max", "capacity_alert_max", 1.0}, {"capacity_alert_min", "capacity_alert_min", 1.0},
      {"cycle_count", "cyclecount", 1.0}, {"online", "online", 1.0}, {"present", "present", 1.0},
      {"time_to_empty_now", "time_to_empty_seconds", 1.0}, {"time_to_full_now", "time_to_full_seconds", 1.0},
      {"current_boot", "current_boot", 1e6}, {"current_max", "current_max", 1e6},
      {"current_now", "current_ampere", 1e6}, {"energy_empty", "energy_empty", 1e6},
      {"energy_empty_design", "energy_empty_design", 1e6}, {"energy_full", "energy_full", 1e6},
      {"energy_full_design", "energy_full_design", 1e6}, {"energy_now", "energy_watthour", 1e6},
      {"voltage_boot", "voltage_boot", 1e6}, {"voltage_max", "voltage_max", 1e6},
      {"voltage_max_design", "voltage_max_design", 1e6}, {"voltage_min", "voltage_min", 1e6},
      {"voltage_min_design", "voltage_min_design", 1e6}, {"voltage_now", "voltage_volt", 1e6},
      {"voltage_ocv", "voltage_ocv", 1e6}, {"charge_control_limit", "charge_control_limit", 1e6},
      {"charge_control_limit_max", "charge_control_limit_max", 1e6}, {"charge_counter", "charge_counter", 1e6},
      {"charge_empty", "charge_empty", 1e6}, {"charge_empty_design", "charge_empty_design", 1e6},
      {"charge_full", "charge_full", 1e6}, {"charge_full_design", "charge_full_design", 1e6},
      {"charge_now", "charge_ampere", 1e6}, {"charge_term_current", "charge_term_current", 1e6},
      {"constant_charge_current", "constant_charge_current", 1e6},
      {"constant_charge_current_max", "constant_charge_current_max", 1e6},
      {"constant_charge_voltage", "constant_charge_voltage", 1e6},
      {"constant_charge_voltage_max", "constant_charge_voltage_max", 1e6},
      {"precharge_current", "precharge_current", 1e6}, {"input_current_limit", "input_current_limit", 1e6},
      {"power_now", "power_watt", 1e6},
      {"temp", "temp_celsius", 10.0}, {"temp_alert_max", "temp_alert_max_celsius", 10.0},
      {"temp_alert_min", "temp_alert_min_celsius", 10.0}, {"temp_ambient", "temp_ambient_celsius", 10.0},
      {"temp_ambient_max", "temp_ambient_max_celsius", 10.0}, {"temp_ambient_min", "temp_ambient_min_celsius", 10.0},
      {"temp_max", "temp_max_celsius", 10.0}, {"temp_min", "temp_min_celsius", 10.0}};
  /** Numeric attributes node_exporter parses (a malformed one fails the scrape) but does not export. */
  private static final Set<String> PARSED_ONLY = Set.of("charge_avg", "current_avg", "energy_avg", "power_avg",
      "time_to_empty_avg", "time_to_full_avg", "voltage_avg");
  /** Text attributes that become labels of node_power_supply_info, after power_supply itself. */
  private static final String[] INFO = {"capacity_level", "charge_type", "health", "manufacturer", "model_name",
      "serial_number", "status", "technology", "type", "usb_type", "scope"};
  private static final String[] INFO_LABELS = {"power_supply", "capacity_level", "charge_type", "health",
      "manufacturer", "model_name", "serial_number", "status", "technology", "type", "usb_type", "scope"};
  private static final Map<String, Object[]> BY_FILE = new HashMap<>();

  static {
    for (Object[] n : NUMBERS) {
      BY_FILE.put((String) n[0], n);
    }
  }

  private final HostPaths paths;
  private final Pattern ignored;

  public PowerSupplyClassCollector(HostPaths paths, Pattern ignored) {
    this.paths = paths;
    this.ignored = ignored;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    Path base = paths.sys("class/power_supply");
    HostPaths.requireDirectory(base, base + " does not exist");
    // All supplies are read before any is written: one unreadable attribute fails the scrape.
    Map<String, Map<String, String>> supplies = new java.util.TreeMap<>();
    for (Path dir : Sysfs.list(base)) {
      supplies.put(Sysfs.name(dir), numbersChecked(dir, Sysfs.attributes(dir, false)));
    }
    for (Map.Entry<String, Map<String, String>> s : supplies.entrySet()) {
      String name = s.getKey();
      if (ignored.matcher(name).find()) {
        continue;
      }
      Map<String, String> attrs = s.getValue();
      for (Object[] n : NUMBERS) {
        String text = attrs.get((String) n[0]);
        if (text != null) {
          String suffix = (String) n[1];
          sink.gauge("node_power_supply_" + suffix, suffix + " value of /sys/class/power_supply/<power_supply>.",
              "power_supply").add(GoNumbers.parseInt(text) / (double) n[2], name);
        }
      }
      // Go's exporter leaves out the labels of absent attributes; an empty label is the same series.
      String[] values = new String[INFO_LABELS.length];
      values[0] = name;
      for (int i = 0; i < INFO.length; i++) {
        values[i + 1] = attrs.getOrDefault(INFO[i], "");
      }
      sink.gauge("node_power_supply_info", "info of /sys/class/power_supply/<power_supply>.", INFO_LABELS)
          .add(1, values);
    }
  }

  /** A number attribute that does not parse is an error, as in node_exporter. */
  private static Map<String, String> numbersChecked(Path dir, Map<String, String> attrs) throws IOException {
    for (Map.Entry<String, String> a : attrs.entrySet()) {
      if ((BY_FILE.containsKey(a.getKey()) || PARSED_ONLY.contains(a.getKey())) && GoNumbers.parseInt(a.getValue()) == null) {
        throw new IOException(dir.resolve(a.getKey()) + ": not an integer: '" + a.getValue() + "'");
      }
    }
    return attrs;
  }
}
