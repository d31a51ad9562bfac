package io.promsuite.exporter.container.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * cAdvisor's sched group: {@code /proc/PID/schedstat} (time on the CPU in ns, time waiting on a
 * runqueue in ns, timeslices run) of every process in the container's cgroup and its descendants,
 * summed. As cAdvisor does, the last figures of a process that exited are kept in the sum, so the
 * three counters never go back.
 */
final class SchedulerStats {
  private final Path procRoot;
  private final PerCgroup<State> states = new PerCgroup<>(State::new);

  /** Last figures of the live processes, and the sum of those that exited. */
  private static final class State {
    final Map<String, long[]> live = new HashMap<>();
    final long[] exited = new long[3];
  }

  SchedulerStats(Path procRoot) {
    this.procRoot = procRoot;
  }

  /** {run ns, runqueue ns, run periods} of the processes in {@code cgroupDir} and below. */
  long[] read(Path cgroupDir) throws IOException {
    List<String> pids = new ArrayList<>();
    procs(cgroupDir, pids, true);
    State state = states.of(cgroupDir);
    synchronized (state) {
      Map<String, long[]> now = new HashMap<>();
      for (String pid : pids) {
        Path file = procRoot.resolve(pid).resolve("schedstat");
        String text;
        try {
          text = Files.readString(file).trim();
        } catch (NoSuchFileException e) {
          continue; // exited between the two reads: its last figures are in state.live
        }
        String[] f = CgroupFiles.SPACES.split(text);
        if (f.length != 3) {
          throw new IOException(file + ": expected 3 numbers, got '" + text + "'");
        }
        now.put(pid, new long[] {CgroupFiles.parse(file, f[0]), CgroupFiles.parse(file, f[1]),
            CgroupFiles.parse(file, f[2])});
      }
      state.live.forEach((pid, last) -> {
        if (!now.containsKey(pid)) {
          for (int i = 0; i < 3; i++) {
            state.exited[i] += last[i];
          }
        }
      });
      state.live.clear();
      state.live.putAll(now);
      long[] sum = state.exited.clone();
      for (long[] v : now.values()) {
        for (int i = 0; i < 3; i++) {
          sum[i] += v[i];
        }
      }
      return sum;
    }
  }

  /** The PIDs of {@code dir}'s cgroup.procs and of its child cgroups'. */
  private static void procs(Path dir, List<String> out, boolean top) throws IOException {
    List<String> lines = CgroupFiles.readLinesIfExists(dir.resolve("cgroup.procs"));
    if (lines == null) {
      if (top) {
        throw new NoSuchFileException(dir.toString(), null, "cgroup of the container not found (it may have stopped)");
      }
      return; // a child cgroup removed during the walk
    }
    for (String l : lines) {
      if (!l.isBlank()) {
        out.add(l.trim());
      }
    }
    try (var children = Files.newDirectoryStream(dir, Files::isDirectory)) {
      for (Path child : children) {
        procs(child, out, false);
      }
    } catch (java.nio.file.DirectoryIteratorException e) {
      throw e.getCause();
    }
  }
}
