package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.io.IOException;

/** {@code node_filefd_allocated} and {@code node_filefd_maximum} from /proc/sys/fs/file-nr. */
public final class FilefdCollector implements Collector {
  private final HostPaths paths;

  public FilefdCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    String[] parts = HostPaths.read(paths.proc("sys/fs/file-nr")).strip().split("\t");
    if (parts.length < 3) {
      throw new IOException("unexpected number of file stats in " + paths.proc("sys/fs/file-nr"));
    }
    sink.gauge("node_filefd_allocated", "File descriptor statistics: allocated.").add(Double.parseDouble(parts[0]));
    sink.gauge("node_filefd_maximum", "File descriptor statistics: maximum.").add(Double.parseDouble(parts[2]));
  }
}
