package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.nio.file.Path;
import java.util.Set;

/** node_exporter's {@code nfsd} collector: NFS server statistics from /proc/net/rpc/nfsd. */
public final class NfsdCollector implements Collector {
  /** Procedures node_exporter leaves out of node_nfsd_requests_total. */
  private static final Set<String> NOT_REPORTED = Set.of("Null", "Op0Unused", "Op1Unused", "Op2Future", "PutPubFH",
      "PutRootFH");

  private final HostPaths paths;

  public NfsdCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    Path file = paths.proc("net/rpc/nfsd");
    HostPaths.requireExisting(file, "Not collecting NFSd metrics: " + file + " does not exist");
    NfsRpcStats stats = NfsRpcStats.read(file, true);
    double[] rc = stats.get("rc", 3);
    sink.counter("node_nfsd_reply_cache_hits_total",
        "Total number of NFSd Reply Cache hits (client lost server response).").add(rc[0]);
    sink.counter("node_nfsd_reply_cache_misses_total",
        "Total number of NFSd Reply Cache an operation that requires caching (idempotent).").add(rc[1]);
    sink.counter("node_nfsd_reply_cache_nocache_total",
        "Total number of NFSd Reply Cache non-idempotent operations (rename/delete/\u2026).").add(rc[2]);
    sink.counter("node_nfsd_file_handles_stale_total", "Total number of NFSd stale file handles")
        .add(stats.get("fh", 5)[0]);
    double[] io = stats.get("io", 2);
    sink.counter("node_nfsd_disk_bytes_read_total", "Total NFSd bytes read.").add(io[0]);
    sink.counter("node_nfsd_disk_bytes_written_total", "Total NFSd bytes written.").add(io[1]);
    sink.gauge("node_nfsd_server_threads", "Total number of NFSd kernel threads that are running.")
        .add(stats.get("th", 2)[0]);
    double[] ra = stats.get("ra", 12);
    sink.gauge("node_nfsd_read_ahead_cache_size_blocks", "How large the read ahead cache is in blocks.").add(ra[0]);
    sink.counter("node_nfsd_read_ahead_cache_not_found_total", "Total number of NFSd read ahead cache not found.")
        .add(ra[11]);
    double[] net = stats.get("net", 4);
    sink.counter("node_nfsd_packets_total", "Total NFSd network packets (sent+received) by protocol type.", "proto")
        .add(net[1], "udp").add(net[2], "tcp");
    sink.counter("node_nfsd_connections_total", "Total number of NFSd TCP connections.").add(net[3]);
    double[] rpc = stats.get("rpc", 5);
    sink.counter("node_nfsd_rpc_errors_total", "Total number of NFSd RPC errors by error type.", "error")
        .add(rpc[2], "fmt").add(rpc[3], "auth").add(rpc[4], "cInt");
    sink.counter("node_nfsd_server_rpcs_total", "Total number of NFSd RPCs.").add(rpc[0]);
    MetricSink.Family requests = sink.counter("node_nfsd_requests_total",
        "Total number NFSd Requests by method and protocol.", "proto", "method");
    stats.procedures(requests, "2", "proc2", NfsRpcStats.V2, NOT_REPORTED);
    stats.procedures(requests, "3", "proc3", NfsRpcStats.V3, NOT_REPORTED);
    stats.procedures(requests, "4", "proc4ops", NfsRpcStats.V4_OPS, NOT_REPORTED);
  }
}
