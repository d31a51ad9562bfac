package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;

/** {@code node_uname_info} from /proc/sys/kernel, the fields uname(2) returns. */
public final class UnameCollector implements Collector {
  private final HostPaths paths;
  private final String machine;

  /** @param machine uname's machine field (x86_64, aarch64...) */
  public UnameCollector(HostPaths paths, String machine) {
    this.paths = paths;
    this.machine = machine;
  }

  /** uname -m from the JVM's os.arch, which names a few architectures differently. */
  public static String machineOf(String osArch) {
    return switch (osArch) {
      case "amd64" -> "x86_64";
      case "x86" -> "i686";
      case "arm" -> "armv7l";
      default -> osArch;
    };
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    sink.info("node_uname_info", "Labeled system information as provided by the uname system call.",
            "domainname", "machine", "nodename", "release", "sysname", "version")
        .add(1, kernel("domainname"), machine, kernel("hostname"), kernel("osrelease"), kernel("ostype"),
            kernel("version"));
  }

  private String kernel(String name) throws java.io.IOException {
    return HostPaths.readLine(paths.proc("sys/kernel/" + name));
  }
}
