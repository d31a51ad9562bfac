package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * node_exporter's processes collector (off by default): processes and threads by state from
 * /proc/PID/stat and /proc/PID/task/TID/stat, and the kernel's pid and thread limits. A process
 * or thread that ends while it is read is skipped, as node_exporter skips it.
 */
public final class ProcessesCollector implements Collector {
  private final HostPaths paths;

  public ProcessesCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    int pids = 0;
    long threads = 0;
    Map<String, Integer> states = new TreeMap<>();
    Map<String, Integer> threadStates = new TreeMap<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(paths.procfs(), ProcessesCollector::numeric)) {
      for (Path proc : procs) {
        String[] stat = stat(proc.resolve("stat"));
        if (stat == null) {
          continue;
        }
        pids++;
        states.merge(stat[0], 1, Integer::sum);
        threads += Long.parseLong(stat[17]);
        String pid = proc.getFileName().toString();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"), ProcessesCollector::numeric)) {
          for (Path task : tasks) {
            String[] t = task.getFileName().toString().equals(pid) ? stat : stat(task.resolve("stat"));
            if (t != null) {
              threadStates.merge(t[0], 1, Integer::sum);
            }
          }
        } catch (NoSuchFileException e) {
          // The process ended between its stat and its tasks.
        }
      }
    }
    sink.gauge("node_processes_threads", "Allocated threads in system").add(threads);
    sink.gauge("node_processes_max_threads", "Limit of threads in the system")
        .add(HostPaths.readNumber(paths.proc("sys/kernel/threads-max")));
    MetricSink.Family state = sink.gauge("node_processes_state", "Number of processes in each state.", "state");
    states.forEach((s, n) -> state.add(n, s));
    MetricSink.Family threadState = sink.gauge("node_processes_threads_state", "Number of threads in each state.",
        "thread_state");
    threadStates.forEach((s, n) -> threadState.add(n, s));
    sink.gauge("node_processes_pids", "Number of PIDs").add(pids);
    sink.gauge("node_processes_max_processes", "Number of max PIDs limit")
        .add(HostPaths.readNumber(paths.proc("sys/kernel/pid_max")));
  }

  private static boolean numeric(Path p) {
    String name = p.getFileName().toString();
    return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
  }

  /** The fields after the command name (which may hold spaces and parentheses); null if the task is gone. */
  private static String[] stat(Path file) throws IOException {
    String text;
    try {
      text = HostPaths.read(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      if (String.valueOf(e.getMessage()).contains("No such process")) {
        return null;
      }
      throw e;
    }
    int close = text.lastIndexOf(')');
    if (close < 0) {
      throw new IOException(file + ": no command name in parentheses");
    }
    return Fields.split(text.substring(close + 1)).toArray(String[]::new);
  }
}
