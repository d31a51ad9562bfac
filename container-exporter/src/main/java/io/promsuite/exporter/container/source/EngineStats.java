package io.promsuite.exporter.container.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Turns one Engine API stats body ({@code GET /containers/{id}/stats?stream=false&one-shot=true})
 * into a {@link Usage}. Memory fields have v1 names ({@code total_inactive_file}, {@code total_rss})
 * or v2 names ({@code inactive_file}, {@code anon}) depending on the daemon's cgroup version.
 */
public final class EngineStats {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EngineStats() {}

  /**
   * @param deviceName maps "major:minor" to the device label (e.g. /dev/sda)
   * @throws IOException naming {@code what} when the body is not the stats JSON
   */
  public static Usage parse(InputStream body, String what, UnaryOperator<String> deviceName) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IOException(what + ": malformed stats JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject() || !root.has("cpu_stats") || !root.has("memory_stats")) {
      throw new IOException(what + ": stats JSON without cpu_stats/memory_stats");
    }
    Usage.Builder u = Usage.builder();
    JsonNode cpu = root.path("cpu_stats");
    JsonNode usage = cpu.path("cpu_usage");
    u.cpuTotalNanos = num(usage, "total_usage");
    u.cpuUserNanos = num(usage, "usage_in_usermode");
    u.cpuSystemNanos = num(usage, "usage_in_kernelmode");
    List<Long> percpu = new ArrayList<>();
    usage.path("percpu_usage").forEach(n -> percpu.add(n.asLong()));
    u.perCpuNanos = percpu;
    JsonNode throttling = cpu.path("throttling_data");
    u.cfsPeriods = num(throttling, "periods");
    u.cfsThrottledPeriods = num(throttling, "throttled_periods");
    u.cfsThrottledNanos = num(throttling, "throttled_time");

    JsonNode mem = root.path("memory_stats");
    JsonNode stats = mem.path("stats");
    boolean v1 = stats.has("total_rss") || stats.has("total_cache");
    u.memoryUsage = num(mem, "usage");
    u.memoryMaxUsage = num(mem, "max_usage");
    // The engine leaves failcnt out when it is 0 (omitempty); cAdvisor always has the counter.
    long failcnt = num(mem, "failcnt");
    u.memoryFailcnt = failcnt < 0 && u.memoryUsage >= 0 ? 0 : failcnt;
    u.memoryRss = num(stats, v1 ? "total_rss" : "anon");
    u.memoryCache = num(stats, v1 ? "total_cache" : "file");
    long swap = num(stats, v1 ? "total_swap" : "swap");
    u.memorySwap = swap < 0 ? 0 : swap;
    u.memoryWorkingSet = Usage.workingSet(u.memoryUsage, num(stats, v1 ? "total_inactive_file" : "inactive_file"));

    JsonNode pids = root.path("pids_stats");
    u.pids = num(pids, "current");
    long limit = num(pids, "limit");
    u.pidsLimit = u.pids >= 0 && limit < 0 ? 0 : limit;

    List<Usage.NetworkInterface> nets = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : root.path("networks").properties()) {
      JsonNode n = e.getValue();
      nets.add(new Usage.NetworkInterface(e.getKey(), num(n, "rx_bytes"), num(n, "rx_packets"), num(n, "rx_errors"),
          num(n, "rx_dropped"), num(n, "tx_bytes"), num(n, "tx_packets"), num(n, "tx_errors"), num(n, "tx_dropped")));
    }
    u.networks = nets;

    u.memory = new Usage.Memory(orZero(stats, v1 ? "total_mapped_file" : "file_mapped"), orZero(stats, "pgfault"),
        orZero(stats, "pgmajfault"), Usage.UNKNOWN, Usage.UNKNOWN, Usage.UNKNOWN,
        v1 ? Usage.UNKNOWN : orZero(stats, "file_dirty"), v1 ? Usage.UNKNOWN : orZero(stats, "file_writeback"),
        v1 ? Usage.UNKNOWN : orZero(stats, "pgscan"), v1 ? Usage.UNKNOWN : orZero(stats, "pgsteal"),
        v1 ? Usage.UNKNOWN : orZero(stats, "workingset_refault_anon"),
        v1 ? Usage.UNKNOWN : orZero(stats, "workingset_refault_file"), orZero(stats, v1 ? "total_active_file" : "active_file"),
        orZero(stats, v1 ? "total_inactive_file" : "inactive_file"), Usage.UNKNOWN, Usage.UNKNOWN);

    JsonNode blkio = root.path("blkio_stats");
    Map<Usage.Blkio, List<Usage.DeviceOps>> tables = new EnumMap<>(Usage.Blkio.class);
    for (Usage.Blkio kind : Usage.Blkio.values()) {
      // The engine names the queued table io_queue_recursive and the time table io_time_recursive.
      String field = switch (kind) {
        case QUEUED -> "io_queue_recursive";
        case TIME -> "io_time_recursive";
        default -> kind.file;
      };
      Map<String, long[]> byDevice = new LinkedHashMap<>();
      for (JsonNode e : blkio.path(field)) {
        String mm = e.path("major").asLong() + ":" + e.path("minor").asLong();
        // v1 daemons write "Read"/"Write", v2 daemons "read"/"write"; cAdvisor's names are capitalised.
        String op = e.path("op").asText("");
        op = op.isEmpty() ? "Count" : Character.toUpperCase(op.charAt(0)) + op.substring(1);
        int i = Usage.DeviceOps.OPS.indexOf(op);
        if (i >= 0) {
          byDevice.computeIfAbsent(mm, k -> CgroupFiles.unknowns())[i] = e.path("value").asLong();
        }
      }
      if (!byDevice.isEmpty()) {
        tables.put(kind, CgroupFiles.deviceOps(byDevice, deviceName));
      }
    }
    u.blkio = tables;
    return u.build();
  }

  private static long orZero(JsonNode parent, String field) {
    return Math.max(0, num(parent, field));
  }

  private static long num(JsonNode parent, String field) {
    JsonNode n = parent.get(field);
    return n == null || !n.isNumber() ? Usage.UNKNOWN : n.asLong();
  }
}
