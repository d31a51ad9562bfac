package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.nio.file.Path;
import java.util.Set;

/** node_exporter's {@code nfs} collector: NFS client RPC statistics from /proc/net/rpc/nfs. */
public final class NfsCollector implements Collector {
  private final HostPaths paths;

  public NfsCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    Path file = paths.proc("net/rpc/nfs");
    HostPaths.requireExisting(file, "Not collecting NFS metrics: " + file + " does not exist");
    NfsRpcStats stats = NfsRpcStats.read(file, false);
    double[] net = stats.get("net", 4);
    sink.counter("node_nfs_packets_total", "Total NFSd network packets (sent+received) by protocol type.", "protocol")
        .add(net[1], "udp").add(net[2], "tcp");
    sink.counter("node_nfs_connections_total", "Total number of NFSd TCP connections.").add(net[3]);
    double[] rpc = stats.get("rpc", 3);
    sink.counter("node_nfs_rpcs_total", "Total number of RPCs performed.").add(rpc[0]);
    sink.counter("node_nfs_rpc_retransmissions_total", "Number of RPC transmissions performed.").add(rpc[1]);
    sink.counter("node_nfs_rpc_authentication_refreshes_total", "Number of RPC authentication refreshes performed.")
        .add(rpc[2]);
    MetricSink.Family requests = sink.counter("node_nfs_requests_total", "Number of NFS procedures invoked.",
        "proto", "method");
    stats.procedures(requests, "2", "proc2", NfsRpcStats.V2, Set.of());
    stats.procedures(requests, "3", "proc3", NfsRpcStats.V3, Set.of());
    stats.procedures(requests, "4", "proc4", NfsRpcStats.CLIENT_V4, Set.of());
  }
}
