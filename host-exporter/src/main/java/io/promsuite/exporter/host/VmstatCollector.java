package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** {@code node_vmstat_<field>} (untyped) for the /proc/vmstat fields --collector.vmstat.fields selects. */
public final class VmstatCollector implements Collector {
  public static final String DEFAULT_FIELDS = "^(oom_kill|pgpg|pswp|pg.*fault).*";

  private final HostPaths paths;
  private final Pattern fields;
  /** Field -> {name, help} when --collector.vmstat.fields selects it, NONE when not: the regex runs once per field. */
  private final Map<String, String[]> selected = new ConcurrentHashMap<>();
  private static final String[] NONE = {};

  public VmstatCollector(HostPaths paths, Pattern fields) {
    this.paths = paths;
    this.fields = fields;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    for (String line : Fields.lines(HostPaths.read(paths.proc("vmstat")))) {
      List<String> f = Fields.split(line);
      if (f.size() < 2) {
        continue;
      }
      double value = Double.parseDouble(f.get(1));
      String[] metric = selected.computeIfAbsent(f.get(0), k -> fields.matcher(k).find()
          ? new String[] {"node_vmstat_" + k, "/proc/vmstat information field " + k + "."} : NONE);
      if (metric != NONE) {
        sink.untyped(metric[0], metric[1]).add(value);
      }
    }
  }
}
