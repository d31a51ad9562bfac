package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import io.promsuite.exporter.common.collect.NoDataException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * node_exporter's {@code dmi} collector: {@code node_dmi_info} labelled with the firmware's
 * system, board, chassis and BIOS identification from /sys/class/dmi/id, read once at start as
 * node_exporter does (it does not change while the machine runs).
 */
public final class DmiCollector implements Collector {
  /** Label names; each is the attribute file of the same name, but system_vendor is sys_vendor. */
  private static final String[] LABELS = {"bios_date", "bios_release", "bios_vendor", "bios_version",
      "board_asset_tag", "board_name", "board_serial", "board_vendor", "board_version", "chassis_asset_tag",
      "chassis_serial", "chassis_vendor", "chassis_version", "product_family", "product_name", "product_serial",
      "product_sku", "product_uuid", "product_version", "system_vendor"};
  private static final String HELP = "A metric with a constant '1' value labeled by bios_date, bios_release, "
      + "bios_vendor, bios_version, board_asset_tag, board_name, board_serial, board_vendor, board_version, "
      + "chassis_asset_tag, chassis_serial, chassis_vendor, chassis_version, product_family, product_name, "
      + "product_serial, product_sku, product_uuid, product_version, system_vendor if provided by DMI.";

  private final String[] values;
  private final IOException failure;

  public DmiCollector(HostPaths paths) {
    String[] v = null;
    IOException error = null;
    try {
      v = read(paths.sys("class/dmi/id"));
    } catch (IOException e) {
      error = e;
    }
    this.values = v;
    this.failure = error;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    if (failure != null) {
      throw failure;
    }
    if (values == null) {
      throw new NoDataException("Platform does not support Desktop Management Interface (DMI) information");
    }
    // Go's exporter leaves out the labels of absent attributes; an empty label is the same series.
    sink.gauge("node_dmi_info", HELP, LABELS).add(1, values);
  }

  /** The label values, or null when there is no DMI directory or nothing in it is known. */
  private static String[] read(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return null;
    }
    Map<String, String> found = new HashMap<>();
    for (Path f : Sysfs.list(dir)) {
      String name = Sysfs.name(f);
      if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || name.equals("modalias") || name.equals("uevent")
          || name.equals("system_vendor")) {
        continue;
      }
      try {
        found.put(name.equals("sys_vendor") ? "system_vendor" : name, Sysfs.attribute(f));
      } catch (AccessDeniedException e) {
        // Serial numbers and the UUID are readable by root only.
      } catch (NoSuchFileException e) {
        throw new IOException("failed to read file " + f + ": it vanished");
      }
    }
    String[] out = new String[LABELS.length];
    boolean any = false;
    for (int i = 0; i < LABELS.length; i++) {
      String v = found.get(LABELS[i]);
      any |= v != null;
      out[i] = v == null ? "" : v;
    }
    return any ? out : null;
  }
}
