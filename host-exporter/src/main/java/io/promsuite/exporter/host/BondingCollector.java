package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import io.promsuite.exporter.common.collect.NoDataException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * node_exporter's {@code bonding} collector: configured and active (MII up) slaves of each
 * bonding master listed in /sys/class/net/bonding_masters.
 */
public final class BondingCollector implements Collector {
  private final HostPaths paths;

  public BondingCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    Path net = paths.sys("class/net");
    Map<String, int[]> masters = new LinkedHashMap<>();
    try {
      for (String master : Fields.split(HostPaths.read(net.resolve("bonding_masters")))) {
        int[] counts = new int[2];
        for (String slave : Fields.split(HostPaths.read(net.resolve(master).resolve("bonding/slaves")))) {
          String state;
          try {
            state = HostPaths.read(net.resolve(master).resolve("lower_" + slave + "/bonding_slave/mii_status"));
          } catch (NoSuchFileException e) {
            // Kernels before 4.13 link slaves as slave_<name>.
            state = HostPaths.read(net.resolve(master).resolve("slave_" + slave + "/bonding_slave/mii_status"));
          }
          counts[0]++;
          if (state.strip().equals("up")) {
            counts[1]++;
          }
        }
        masters.put(master, counts);
      }
    } catch (NoSuchFileException e) {
      throw new NoDataException("Not collecting bonding, file does not exist: " + e.getFile());
    }
    for (Map.Entry<String, int[]> m : masters.entrySet()) {
      sink.gauge("node_bonding_slaves", "Number of configured slaves per bonding interface.", "master")
          .add(m.getValue()[0], m.getKey());
      sink.gauge("node_bonding_active", "Number of active slaves per bonding interface.", "master")
          .add(m.getValue()[1], m.getKey());
    }
  }
}
