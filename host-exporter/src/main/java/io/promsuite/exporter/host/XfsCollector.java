package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * node_exporter's {@code xfs} collector: per-filesystem XFS statistics from
 * /sys/fs/xfs/&lt;device&gt;/stats/stats, validated line by line as node_exporter's procfs library does.
 */
public final class XfsCollector implements Collector {
  /** stats line, field index, metric suffix, help. */
  private static final String[][] METRICS = {
      {"extent_alloc", "0", "extent_allocation_extents_allocated_total", "Number of extents allocated for a filesystem."},
      {"extent_alloc", "1", "extent_allocation_blocks_allocated_total", "Number of blocks allocated for a filesystem."},
      {"extent_alloc", "2", "extent_allocation_extents_freed_total", "Number of extents freed for a filesystem."},
      {"extent_alloc", "3", "extent_allocation_blocks_freed_total", "Number of blocks freed for a filesystem."},
      {"abt", "0", "allocation_btree_lookups_total", "Number of allocation B-tree lookups for a filesystem."},
      {"abt", "1", "allocation_btree_compares_total", "Number of allocation B-tree compares for a filesystem."},
      {"abt", "2", "allocation_btree_records_inserted_total", "Number of allocation B-tree records inserted for a filesystem."},
      {"abt", "3", "allocation_btree_records_deleted_total", "Number of allocation B-tree records deleted for a filesystem."},
      {"blk_map", "0", "block_mapping_reads_total", "Number of block map for read operations for a filesystem."},
      {"blk_map", "1", "block_mapping_writes_total", "Number of block map for write operations for a filesystem."},
      {"blk_map", "2", "block_mapping_unmaps_total", "Number of block unmaps (deletes) for a filesystem."},
      {"blk_map", "3", "block_mapping_extent_list_insertions_total", "Number of extent list insertions for a filesystem."},
      {"blk_map", "4", "block_mapping_extent_list_deletions_total", "Number of extent list deletions for a filesystem."},
      {"blk_map", "5", "block_mapping_extent_list_lookups_total", "Number of extent list lookups for a filesystem."},
      {"blk_map", "6", "block_mapping_extent_list_compares_total", "Number of extent list compares for a filesystem."},
      {"bmbt", "0", "block_map_btree_lookups_total", "Number of block map B-tree lookups for a filesystem."},
      {"bmbt", "1", "block_map_btree_compares_total", "Number of block map B-tree compares for a filesystem."},
      {"bmbt", "2", "block_map_btree_records_inserted_total", "Number of block map B-tree records inserted for a filesystem."},
      {"bmbt", "3", "block_map_btree_records_deleted_total", "Number of block map B-tree records deleted for a filesystem."},
      {"dir", "0", "directory_operation_lookup_total", "Number of file name directory lookups which miss the operating systems directory name lookup cache."},
      {"dir", "1", "directory_operation_create_total", "Number of times a new directory entry was created for a filesystem."},
      {"dir", "2", "directory_operation_remove_total", "Number of times an existing directory entry was created for a filesystem."},
      {"dir", "3", "directory_operation_getdents_total", "Number of times the directory getdents operation was performed for a filesystem."},
      {"ig", "0", "inode_operation_attempts_total", "Number of times the OS looked for an XFS inode in the inode cache."},
      {"ig", "1", "inode_operation_found_total", "Number of times the OS looked for and found an XFS inode in the inode cache."},
      {"ig", "2", "inode_operation_recycled_total", "Number of times the OS found an XFS inode in the cache, but could not use it as it was being recycled."},
      {"ig", "3", "inode_operation_missed_total", "Number of times the OS looked for an XFS inode in the cache, but did not find it."},
      {"ig", "4", "inode_operation_duplicates_total", "Number of times the OS tried to add a missing XFS inode to the inode cache, but found it had already been added by another process."},
      {"ig", "5", "inode_operation_reclaims_total", "Number of times the OS reclaimed an XFS inode from the inode cache to free memory for another purpose."},
      {"ig", "6", "inode_operation_attribute_changes_total", "Number of times the OS explicitly changed the attributes of an XFS inode."},
      {"rw", "1", "read_calls_total", "Number of read(2) system calls made to files in a filesystem."},
      {"rw", "0", "write_calls_total", "Number of write(2) system calls made to files in a filesystem."},
      {"vnodes", "0", "vnode_active_total", "Number of vnodes not on free lists for a filesystem."},
      {"vnodes", "1", "vnode_allocate_total", "Number of times vn_alloc called for a filesystem."},
      {"vnodes", "2", "vnode_get_total", "Number of times vn_get called for a filesystem."},
      {"vnodes", "3", "vnode_hold_total", "Number of times vn_hold called for a filesystem."},
      {"vnodes", "4", "vnode_release_total", "Number of times vn_rele called for a filesystem."},
      {"vnodes", "5", "vnode_reclaim_total", "Number of times vn_reclaim called for a filesystem."},
      {"vnodes", "6", "vnode_remove_total", "Number of times vn_remove called for a filesystem."},
  };
  /** Field counts node_exporter's parser accepts per line; a line with another count fails the scrape. */
  private static final Map<String, int[]> COUNTS = Map.ofEntries(Map.entry("extent_alloc", new int[] {4}),
      Map.entry("abt", new int[] {4}), Map.entry("blk_map", new int[] {7}), Map.entry("bmbt", new int[] {4}),
      Map.entry("dir", new int[] {4}), Map.entry("trans", new int[] {3}), Map.entry("ig", new int[] {7}),
      Map.entry("log", new int[] {5}), Map.entry("push_ail", new int[] {10}), Map.entry("xstrat", new int[] {2}),
      Map.entry("rw", new int[] {2}), Map.entry("attr", new int[] {4}), Map.entry("icluster", new int[] {3}),
      Map.entry("vnodes", new int[] {7, 8}), Map.entry("buf", new int[] {9}), Map.entry("xpc", new int[] {3}),
      Map.entry("qm", new int[] {8, 9}), Map.entry("debug", new int[] {1}), Map.entry("abtb2", new int[] {15}),
      Map.entry("abtc2", new int[] {15}), Map.entry("bmbt2", new int[] {15}), Map.entry("ibt2", new int[] {15}));

  private final HostPaths paths;

  public XfsCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    Map<String, Map<String, long[]>> filesystems = new java.util.LinkedHashMap<>();
    for (Path dir : Sysfs.list(paths.sys("fs/xfs"))) {
      Path stats = dir.resolve("stats/stats");
      if (Files.exists(stats)) {
        filesystems.put(Sysfs.name(dir), parse(stats));
      }
    }
    for (Map.Entry<String, Map<String, long[]>> fs : filesystems.entrySet()) {
      for (String[] m : METRICS) {
        long[] values = fs.getValue().get(m[0]);
        int i = Integer.parseInt(m[1]);
        double v = values == null || i >= values.length ? 0 : values[i];
        sink.counter("node_xfs_" + m[2], m[3], "device").add(v, fs.getKey());
      }
    }
  }

  static Map<String, long[]> parse(Path file) throws IOException {
    Map<String, long[]> out = new HashMap<>();
    int n = 0;
    for (String line : Fields.lines(HostPaths.read(file))) {
      n++;
      List<String> f = Fields.split(line);
      if (f.size() < 2) {
        continue;
      }
      String label = f.get(0);
      long[] values = new long[f.size() - 1];
      for (int i = 1; i < f.size(); i++) {
        Double v = GoNumbers.parseUint10(f.get(i));
        // Every line but xpc holds 32-bit counters.
        if (v == null || !label.equals("xpc") && v > 0xFFFFFFFFL) {
          throw new IOException(file + ":" + n + ": field " + i + " of " + label + " is not a valid counter: '"
              + f.get(i) + "'");
        }
        values[i - 1] = v.longValue();
      }
      int[] counts = COUNTS.get(label);
      if (counts != null) {
        boolean ok = false;
        for (int c : counts) {
          ok |= c == values.length;
        }
        if (!ok) {
          throw new IOException(file + ":" + n + ": incorrect number of values for " + label + ": " + values.length);
        }
        out.put(label, values);
      }
    }
    return out;
  }
}
