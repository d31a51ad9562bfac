package io.promsuite.exporter.container.source;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * State a reader keeps per container between readings (cAdvisor keeps it in its per-container
 * handler), keyed by the container's cgroup directory. A container that stopped is never read
 * again, so roughly once per pass over all containers the entries whose directory is gone are
 * dropped (one stat per container).
 */
final class PerCgroup<T> {
  private final Map<Path, T> states = new ConcurrentHashMap<>();
  private final Supplier<T> initial;
  private int readsSinceSweep;

  PerCgroup(Supplier<T> initial) {
    this.initial = initial;
  }

  /** The state of the cgroup at {@code dir}, new on the first reading. */
  synchronized T of(Path dir) {
    if (++readsSinceSweep > states.size()) {
      readsSinceSweep = 0;
      states.keySet().removeIf(d -> !Files.isDirectory(d));
    }
    return states.computeIfAbsent(dir, d -> initial.get());
  }

  int size() {
    return states.size();
  }
}
