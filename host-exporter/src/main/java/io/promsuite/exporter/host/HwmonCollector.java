package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * node_exporter's {@code hwmon} collector: {@code node_hwmon_*} sensor readings (temperatures,
 * voltages, fans, power...) of every chip in /sys/class/hwmon, in base units, labelled by chip
 * (named after its device) and sensor ({@code temp1}).
 */
public final class HwmonCollector implements Collector {
  private static final Pattern FILE_NAME = Pattern.compile("^([^0-9]+)([0-9]*)?(_(.+))?$");
  private static final Pattern INVALID_NAME_CHARS = Pattern.compile("[^a-z0-9:_]");
  private static final Set<String> SENSOR_TYPES = Set.of("vrm", "beep_enable", "update_interval", "in", "cpu", "fan",
      "pwm", "temp", "curr", "power", "energy", "humidity", "intrusion");

  private final HostPaths paths;

  public HwmonCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    Path base = HostPaths.requireDirectory(paths.sys("class/hwmon"), "hwmon collector metrics are not available for this system");
    for (Path dir : Sysfs.list(base)) {
      if (Files.isDirectory(dir)) {
        collectChip(sink, dir);
      }
    }
  }

  private void collectChip(MetricSink sink, Path dir) throws IOException {
    String chip = chipName(dir);
    // sensor (temp1) -> property (input, max, label; "" for the bare file) -> raw text
    Map<String, Map<String, String>> data = new TreeMap<>();
    readSensors(dir, data);
    if (Files.isDirectory(dir.resolve("device"))) {
      readSensors(dir.resolve("device"), data);
    }
    String humanName = humanReadableName(dir);
    if (humanName != null) {
      sink.gauge("node_hwmon_chip_names", "Annotation metric for human-readable chip names", "chip", "chip_name")
          .add(1, chip, humanName);
    }
    for (Map.Entry<String, Map<String, String>> e : data.entrySet()) {
      emit(sink, chip, e.getKey(), e.getValue());
    }
  }

  private static void emit(MetricSink sink, String chip, String sensor, Map<String, String> props) {
    Matcher m = FILE_NAME.matcher(sensor);
    String type = m.matches() ? m.group(1) : sensor;
    String label = props.get("label");
    if (label != null) {
      sink.gauge("node_hwmon_sensor_label", "Label for given chip and sensor", "chip", "sensor", "label")
          .add(1, chip, sensor, label);
    }
    switch (type) {
      case "beep_enable" -> {
        sink.gauge("node_hwmon_beep_enabled", "Hardware beep enabled", "chip", "sensor")
            .add("1".equals(props.get("")) ? 1 : 0, chip, sensor);
        return;
      }
      case "vrm" -> {
        Double v = GoNumbers.parseFloat(props.get(""));
        if (v != null) {
          sink.gauge("node_hwmon_voltage_regulator_version", "Hardware voltage regulator", "chip", "sensor")
              .add(v, chip, sensor);
        }
        return;
      }
      case "update_interval" -> {
        Double v = GoNumbers.parseFloat(props.get(""));
        if (v != null) {
          sink.gauge("node_hwmon_update_interval_seconds", "Hardware monitor update interval", "chip", "sensor")
              .add(v * 0.001, chip, sensor);
        }
        return;
      }
      default -> { }
    }
    String prefix = "node_hwmon_" + type;
    for (Map.Entry<String, String> p : props.entrySet()) {
      String element = p.getKey();
      if (element.equals("label")) {
        continue;
      }
      String name = prefix;
      if (element.equals("input")) {
        if (props.containsKey("")) {
          name += "_input";
        }
      } else if (!element.isEmpty()) {
        name += "_" + cleanName(element);
      }
      Double parsed = GoNumbers.parseFloat(p.getValue());
      if (parsed == null) {
        continue;
      }
      double v = parsed;
      Reading r = reading(type, element, name, v);
      MetricSink.Family f = r.counter()
          ? sink.counter(r.name(), r.help(), "chip", "sensor")
          : sink.gauge(r.name(), r.help(), "chip", "sensor");
      f.add(r.value(), chip, sensor);
    }
  }

  private record Reading(String name, String help, double value, boolean counter) {}

  /** Name, help and base unit of one sensor element, as node_exporter picks them. */
  private static Reading reading(String type, String element, String name, double v) {
    if (element.equals("fault") || element.equals("alarm")) {
      return new Reading(name, "Hardware sensor " + element + " status (" + type + ")", v, false);
    }
    if (element.equals("beep")) {
      return new Reading(name + "_enabled", "Hardware monitor sensor has beeping enabled", v, false);
    }
    if (type.equals("in") || type.equals("cpu")) {
      return new Reading(name + "_volts", "Hardware monitor for voltage (" + element + ")", v * 0.001, false);
    }
    if (type.equals("temp") && !element.equals("type")) {
      String shown = element.isEmpty() ? "input" : element;
      return new Reading(name + "_celsius", "Hardware monitor for temperature (" + shown + ")", v * 0.001, false);
    }
    if (type.equals("curr")) {
      return new Reading(name + "_amps", "Hardware monitor for current (" + element + ")", v * 0.001, false);
    }
    if (type.equals("energy")) {
      return new Reading(name + "_joule_total", "Hardware monitor for joules used so far (" + element + ")",
          v / 1000000.0, true);
    }
    if (type.equals("power") && element.equals("accuracy")) {
      return new Reading(name, "Hardware monitor power meter accuracy, as a ratio", v / 1000000.0, false);
    }
    if (type.equals("power") && (element.equals("average_interval") || element.equals("average_interval_min")
        || element.equals("average_interval_max"))) {
      return new Reading(name + "_seconds", "Hardware monitor power usage update interval (" + element + ")",
          v * 0.001, false);
    }
    if (type.equals("power")) {
      return new Reading(name + "_watt", "Hardware monitor for power usage in watts (" + element + ")",
          v / 1000000.0, false);
    }
    if (type.equals("humidity")) {
      return new Reading(name, "Hardware monitor for humidity, as a ratio (multiply with 100.0 to get the humidity"
          + " as a percentage) (" + element + ")", v / 1000000.0, false);
    }
    if (type.equals("fan") && (element.equals("input") || element.equals("min") || element.equals("max")
        || element.equals("target"))) {
      return new Reading(name + "_rpm", "Hardware monitor for fan revolutions per minute (" + element + ")", v, false);
    }
    return new Reading(name, "Hardware monitor " + type + " element " + element, v, false);
  }

  /** Sensor files of {@code dir} ({@code temp1_input} -> sensor temp1, property input). */
  private static void readSensors(Path dir, Map<String, Map<String, String>> data) throws IOException {
    for (Path file : Sysfs.list(dir)) {
      Matcher m = FILE_NAME.matcher(Sysfs.name(file));
      if (!m.matches() || !SENSOR_TYPES.contains(m.group(1))) {
        continue;
      }
      int number = 0;
      String id = m.group(2);
      if (id != null && !id.isEmpty()) {
        try {
          number = Integer.parseInt(id);
        } catch (NumberFormatException e) {
          continue;
        }
      }
      String value = readValue(file);
      if (value != null) {
        data.computeIfAbsent(m.group(1) + number, k -> new LinkedHashMap<>())
            .put(m.group(4) == null ? "" : m.group(4), value);
      }
    }
  }

  /**
   * One read of at most 128 bytes, newlines trimmed; null when it fails. Some drivers answer
   * EAGAIN or EIO for a sensor that is off: that sensor is left out, the chip is not.
   */
  private static String readValue(Path file) {
    try (FileChannel ch = FileChannel.open(file)) {
      ByteBuffer buf = ByteBuffer.allocate(128);
      int n = Math.max(0, ch.read(buf));
      int start = 0;
      int end = n;
      byte[] b = buf.array();
      while (start < end && b[start] == '\n') {
        start++;
      }
      while (end > start && b[end - 1] == '\n') {
        end--;
      }
      return new String(b, start, end - start, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    }
  }

  /** The chip label: the device's bus and name, else the chip's name file, else its directory. */
  private static String chipName(Path dir) throws IOException {
    Path device = dir.resolve("device");
    if (Files.exists(device)) {
      Path real = device.toRealPath();
      String devName = cleanName(Sysfs.name(real));
      String devType = real.getParent() == null || real.getParent().getFileName() == null
          ? "" : cleanName(Sysfs.name(real.getParent()));
      if (!devType.isEmpty() && !devName.isEmpty()) {
        return devType + "_" + devName;
      }
      if (!devName.isEmpty()) {
        return devName;
      }
    }
    String human = humanReadableName(dir);
    if (human != null) {
      return human;
    }
    String name = cleanName(Sysfs.name(dir.toRealPath()));
    if (name.isEmpty()) {
      throw new IOException("could not derive a monitoring name for " + dir);
    }
    return name;
  }

  private static String humanReadableName(Path dir) {
    try {
      String raw = new String(Files.readAllBytes(dir.resolve("name")), StandardCharsets.UTF_8);
      String clean = cleanName(raw);
      return clean.isEmpty() ? null : clean;
    } catch (IOException e) {
      return null;
    }
  }

  /** Lower case, anything but [a-z0-9:_] to '_', leading and trailing '_' dropped. */
  static String cleanName(String name) {
    String replaced = INVALID_NAME_CHARS.matcher(name.toLowerCase(Locale.ROOT)).replaceAll("_");
    int start = 0;
    int end = replaced.length();
    while (start < end && replaced.charAt(start) == '_') {
      start++;
    }
    while (end > start && replaced.charAt(end - 1) == '_') {
      end--;
    }
    return replaced.substring(start, end);
  }
}
