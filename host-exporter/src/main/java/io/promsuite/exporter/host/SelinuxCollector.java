package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.io.IOException;
import java.nio.file.Files;

/**
 * {@code node_selinux_enabled}, and when enabled {@code node_selinux_config_mode} (from
 * /etc/selinux/config) and {@code node_selinux_current_mode} (from selinuxfs): 1 enforcing,
 * 0 permissive, -1 disabled.
 */
public final class SelinuxCollector implements Collector {
  private final HostPaths paths;

  public SelinuxCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    boolean enabled = Files.isReadable(paths.sys("fs/selinux/enforce")) && !context().equals("kernel");
    sink.gauge("node_selinux_enabled", "SELinux is enabled, 1 is true, 0 is false").add(enabled ? 1 : 0);
    if (!enabled) {
      return;
    }
    sink.gauge("node_selinux_config_mode", "Configured SELinux enforcement mode").add(configMode());
    sink.gauge("node_selinux_current_mode", "Current SELinux enforcement mode")
        .add(HostPaths.readLine(paths.sys("fs/selinux/enforce")).equals("1") ? 1 : 0);
  }

  private String context() {
    try {
      return HostPaths.readLine(paths.proc("self/attr/current")).replace("\0", "");
    } catch (IOException e) {
      return "";
    }
  }

  private int configMode() {
    try {
      for (String line : Fields.lines(HostPaths.read(paths.root("/etc/selinux/config")))) {
        String l = line.strip();
        if (l.startsWith("SELINUX=")) {
          return switch (l.substring(8).strip()) {
            case "enforcing" -> 1;
            case "permissive" -> 0;
            default -> -1;
          };
        }
      }
    } catch (IOException e) {
      // No config file: go-selinux reports disabled.
    }
    return -1;
  }
}
