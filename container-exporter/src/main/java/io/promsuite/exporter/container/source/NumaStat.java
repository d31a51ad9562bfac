package io.promsuite.exporter.container.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * cAdvisor's memory_numa group: a cgroup's {@code memory.numa_stat}, pages of each type per NUMA
 * node. cgroup v1 counts pages, the cgroup's own ({@code file=}, {@code anon=}, {@code unevictable=};
 * scope "container") and its subtree's ({@code hierarchical_*}; scope "hierarchy"). cgroup v2
 * counts bytes ({@code file N0=<bytes>}) for the subtree only: turned into pages of
 * {@code pageSize} and given for both scopes, as cAdvisor gives v2's pgfault for both.
 */
final class NumaStat {
  private static final List<String> TYPES = List.of("file", "anon", "unevictable");

  private NumaStat() {}

  /** The file's pages in cAdvisor's order (file, anon, unevictable; container, then hierarchy); empty when absent. */
  static List<Usage.NumaPages> read(Path file, boolean v2, long pageSize) throws IOException {
    List<String> lines = CgroupFiles.readLinesIfExists(file);
    if (lines == null) {
      return List.of();
    }
    List<Usage.NumaPages> container = new ArrayList<>();
    List<Usage.NumaPages> hierarchy = new ArrayList<>();
    for (int n = 0; n < lines.size(); n++) {
      String[] f = CgroupFiles.SPACES.split(lines.get(n).trim());
      // v1 "file=12 N0=10 N1=2"; v2 "file N0=40960 N1=8192".
      String key = v2 ? f[0] : f[0].substring(0, Math.max(0, f[0].indexOf('=')));
      boolean hierarchical = !v2 && key.startsWith("hierarchical_");
      String type = hierarchical ? key.substring("hierarchical_".length()) : key;
      if (!TYPES.contains(type)) {
        continue; // total, and v2's other keys (shmem, slab...): no cAdvisor series
      }
      for (int i = 1; i < f.length; i++) {
        int eq = f[i].indexOf('=');
        if (eq < 2 || f[i].charAt(0) != 'N') {
          throw new IOException(file + ":" + (n + 1) + ": expected N<node>=<value>, got '" + f[i] + "'");
        }
        int node;
        try {
          node = Integer.parseInt(f[i].substring(1, eq));
        } catch (NumberFormatException e) {
          throw new IOException(file + ":" + (n + 1) + ": bad node in '" + f[i] + "'");
        }
        long value = CgroupFiles.parse(file, f[i].substring(eq + 1));
        if (v2) {
          long pages = value / pageSize;
          container.add(new Usage.NumaPages(type, "container", node, pages));
          hierarchy.add(new Usage.NumaPages(type, "hierarchy", node, pages));
        } else {
          (hierarchical ? hierarchy : container).add(new Usage.NumaPages(type, hierarchical ? "hierarchy" : "container",
              node, value));
        }
      }
    }
    container.addAll(hierarchy);
    return container;
  }
}
