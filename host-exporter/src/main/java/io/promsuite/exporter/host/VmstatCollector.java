package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.util.List;
import java.util.regex.Pattern;

/** {@code node_vmstat_<field>} (untyped) for the /proc/vmstat fields --collector.vmstat.fields selects. */
public final class VmstatCollector implements Collector {
  public static final String DEFAULT_FIELDS = "^(oom_kill|pgpg|pswp|pg.*fault).*";

  private final HostPaths paths;
  private final SelectedFields fields;

  public VmstatCollector(HostPaths paths, Pattern fields) {
    this.paths = paths;
    this.fields = new SelectedFields(fields);
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    for (String line : Fields.lines(HostPaths.read(paths.proc("vmstat")))) {
      List<String> f = Fields.split(line);
      if (f.size() < 2) {
        continue;
      }
      double value = Double.parseDouble(f.get(1));
      SelectedFields.Metric metric = fields.select(f.get(0),
          k -> new SelectedFields.Metric("node_vmstat_" + k, "/proc/vmstat information field " + k + "."));
      if (metric != null) {
        sink.untyped(metric.name(), metric.help()).add(value);
      }
    }
  }
}
