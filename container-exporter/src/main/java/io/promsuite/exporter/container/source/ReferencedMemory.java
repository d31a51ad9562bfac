package io.promsuite.exporter.container.source;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * cAdvisor's referenced_memory group: the {@code Referenced:} lines of /proc/PID/smaps of the
 * processes in the container's cgroup.procs, summed, in bytes. As cAdvisor's
 * {@code --referenced_reset_interval}: every {@code resetInterval} readings of a container (0:
 * never, cAdvisor's default) "1" is written to each process's /proc/PID/clear_refs after the
 * reading, which clears the pages' referenced bits, so the next readings count only the pages used
 * since.
 */
final class ReferencedMemory {
  private static final Logger LOG = Logger.getLogger(ReferencedMemory.class.getName());

  private final Path procRoot;
  private final long resetInterval;
  /** Readings per container (cAdvisor's per-handler cycle count, 1 at the first reading). */
  private final PerCgroup<AtomicLong> cycles = new PerCgroup<>(AtomicLong::new);

  ReferencedMemory(Path procRoot, long resetInterval) {
    this.procRoot = procRoot;
    this.resetInterval = resetInterval;
  }

  /** Referenced bytes of the processes in {@code cgroupDir}/cgroup.procs; clears them when the interval is due. */
  long read(Path cgroupDir) throws IOException {
    List<String> pids = CgroupFiles.readLinesIfExists(cgroupDir.resolve("cgroup.procs"));
    if (pids == null) {
      throw new NoSuchFileException(cgroupDir.toString(), null, "cgroup of the container not found (it may have stopped)");
    }
    long kiB = 0;
    for (String pid : pids) {
      if (!pid.isBlank()) {
        kiB += referencedKiB(procRoot.resolve(pid.trim()).resolve("smaps"));
      }
    }
    long cycle = cycles.of(cgroupDir).incrementAndGet();
    if (resetInterval > 0 && cycle % resetInterval == 0) {
      for (String pid : pids) {
        if (!pid.isBlank()) {
          clear(procRoot.resolve(pid.trim()).resolve("clear_refs"));
        }
      }
    }
    return kiB * 1024;
  }

  /** The sum of the file's "Referenced:   N kB" lines; 0 when the process is gone. */
  static long referencedKiB(Path smaps) throws IOException {
    long sum = 0;
    try (BufferedReader r = Files.newBufferedReader(smaps)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith("Referenced:")) {
          String[] f = CgroupFiles.SPACES.split(line.trim());
          if (f.length != 3 || !f[2].equals("kB")) {
            throw new IOException(smaps + ": expected 'Referenced: N kB', got '" + line.trim() + "'");
          }
          sum += CgroupFiles.parse(smaps, f[1]);
        }
      }
    } catch (NoSuchFileException e) {
      return 0; // exited since cgroup.procs was read
    }
    return sum;
  }

  /** Writes "1" to a process's clear_refs; a process that exited or refuses is left as it is. */
  private static void clear(Path clearRefs) {
    try {
      Files.writeString(clearRefs, "1\n", StandardOpenOption.WRITE);
    } catch (NoSuchFileException e) {
      // exited
    } catch (IOException e) {
      LOG.log(Level.FINE, () -> "cannot reset referenced pages: " + clearRefs + ": " + e.getMessage());
    }
  }
}
