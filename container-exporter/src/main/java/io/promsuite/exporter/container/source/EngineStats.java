package io.promsuite.exporter.container.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
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
    u.memoryFailcnt = num(mem, "failcnt");
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

    Map<String, long[]> byDevice = new LinkedHashMap<>();
    for (JsonNode e : root.path("blkio_stats").path("io_service_bytes_recursive")) {
      String mm = e.path("major").asLong() + ":" + e.path("minor").asLong();
      long[] rw = byDevice.computeIfAbsent(mm, k -> new long[2]);
      // v1 daemons write "Read"/"Write", v2 daemons "read"/"write".
      switch (e.path("op").asText().toLowerCase(java.util.Locale.ROOT)) {
        case "read" -> rw[0] += e.path("value").asLong();
        case "write" -> rw[1] += e.path("value").asLong();
        default -> { }
      }
    }
    List<Usage.BlockIo> io = new ArrayList<>();
    byDevice.forEach((mm, rw) -> io.add(new Usage.BlockIo(deviceName.apply(mm), rw[0], rw[1])));
    u.blockIo = io;
    return u.build();
  }

  private static long num(JsonNode parent, String field) {
    JsonNode n = parent.get(field);
    return n == null || !n.isNumber() ? Usage.UNKNOWN : n.asLong();
  }
}
