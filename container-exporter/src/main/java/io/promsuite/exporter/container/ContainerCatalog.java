package io.promsuite.exporter.container;

import io.promsuite.exporter.common.collect.BackgroundRefresh;
import io.promsuite.exporter.common.log.Logging;
import io.promsuite.exporter.container.source.ContainerInfo;
import io.promsuite.exporter.container.source.Usage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the exporter knows about the running containers, kept fresh in the background by the
 * framework's {@link BackgroundRefresh} so a scrape only reads memory: the container list follows
 * Docker events (plus a resync on an interval), usage is re-read every housekeeping interval,
 * writable-layer sizes every fs interval, and each pass publishes one immutable {@link Snapshot}.
 * When the daemon cannot be reached the containers are dropped, not frozen, and
 * {@link Snapshot#dockerUp()} says so.
 */
public final class ContainerCatalog implements Closeable {
  private static final Logger LOG = Logger.getLogger(ContainerCatalog.class.getName());

  /** Lists the running containers (the Docker API). */
  @FunctionalInterface
  public interface Lister {
    List<ContainerInfo> running() throws IOException;
  }

  /** Reads one container's usage (cgroup files or the stats API). */
  @FunctionalInterface
  public interface UsageReader {
    Usage read(ContainerInfo container) throws IOException;
  }

  /** Reads the size of a container's writable layer (container_fs_usage_bytes, container_fs_inodes_total). */
  @FunctionalInterface
  public interface FsReader {
    Layer writableLayer(ContainerInfo container) throws IOException;
  }

  /**
   * A container's writable layer: bytes as the daemon counts them, inodes used in it (cAdvisor's
   * container_fs_inodes_total), {@link Usage#UNKNOWN} when it cannot be walked here.
   */
  public record Layer(long bytes, long inodes) {}

  /** Follows container events; returns a handle that stops following. */
  @FunctionalInterface
  public interface Events {
    Closeable follow(Runnable onChange, java.util.function.Consumer<Throwable> onEnd);
  }

  /**
   * One container with its latest usage, when that was read (seconds since the epoch) and cAdvisor's
   * smoothed count of running tasks (its 10 s load average; negative when tasks are not counted).
   */
  public record Entry(ContainerInfo info, Usage usage, double seenAt, double loadAverage) {}

  /** Everything a scrape reads but the refresh counts ({@link #refreshStats()}). */
  public record Snapshot(boolean dockerUp, List<Entry> containers, Map<String, Layer> fsUsage) {}

  /** The kinds of refresh whose counts are exported (fs with zeros when it is off); "events" only keeps the stream open. */
  private static final List<String> COUNTED = List.of("list", "usage", "fs");

  /**
   * @param housekeeping interval between usage refreshes
   * @param resync interval between full list refreshes when no event arrives
   * @param concurrency usage reads in flight at once
   * @param fsInterval interval between writable-layer size refreshes; zero turns them off
   */
  /** @param dockerHost the daemon's address as --docker.host gives it, for the log */
  public record Settings(Duration housekeeping, Duration resync, int concurrency, Duration fsInterval, String dockerHost) {}

  private final Lister lister;
  private final UsageReader usage;
  private final Settings settings;
  private final Clock clock;
  private final BackgroundRefresh<Snapshot> refresh;
  private final FsReader fs;
  private final boolean fsOn;
  private final Map<String, Layer> fsUsage = new ConcurrentHashMap<>();
  private volatile List<ContainerInfo> known = List.of();
  private volatile boolean dockerUp;
  /** Whether the daemon's state was logged yet: a change is logged once, not every refresh. */
  private boolean dockerStateLogged;
  private final Map<String, Entry> latest = new ConcurrentHashMap<>();
  /** Keeps the event stream open; null without events. */
  private final EventFollower follower;

  /** @param fs writable-layer sizes, or null for none */
  public ContainerCatalog(Lister lister, UsageReader usage, FsReader fs, Events events, Settings settings, Clock clock) {
    this(lister, usage, fs, events, settings, clock, null);
  }

  /** @param scheduler where refreshes run; null for the framework's platform threads (tests pass a hand-driven one) */
  ContainerCatalog(Lister lister, UsageReader usage, FsReader fs, Events events, Settings settings, Clock clock,
      BackgroundRefresh.Scheduler scheduler) {
    this.lister = lister;
    this.fs = fs;
    this.usage = usage;
    this.settings = settings;
    this.clock = clock;
    this.fsOn = fs != null && !settings.fsInterval().isZero();
    BackgroundRefresh.Builder<Snapshot> b = BackgroundRefresh.builder("catalog", new Snapshot(false, List.of(), Map.of()))
        .every("list", settings.resync(), this::list)
        .every("usage", settings.housekeeping(), this::usage);
    if (fsOn) {
      b.every("fs", settings.fsInterval(), this::fs);
    }
    if (events != null) {
      follower = new EventFollower(events, settings.resync(), this::relistSoon, this::reopenEventsAfter, this::nanoTime);
      // Looked at every resync interval; reopened sooner, with backoff, when the stream ends.
      b.every("events", settings.resync(), follower::follow);
    } else {
      follower = null;
    }
    this.refresh = (scheduler == null ? b : b.scheduler(scheduler)).build();
  }

  /**
   * Starts the background refresh: every kind runs at once, then on its interval. The framework
   * runs each on a platform thread (renders on virtual threads held up scrapes, which the web
   * server runs on virtual threads, by the length of a render); stats API calls fan out on
   * virtual threads.
   */
  public ContainerCatalog start() {
    refresh.start();
    return this;
  }

  /** Runs {@code listener} with every snapshot published from now on, on the publishing thread, before {@link #snapshot()} returns it. */
  public void onPublish(java.util.function.Consumer<Snapshot> listener) {
    refresh.onPublish(listener);
  }

  public Snapshot snapshot() {
    return refresh.snapshot();
  }

  /** Runs, errors and the last duration of the list, usage and fs refreshes. */
  public Map<String, BackgroundRefresh.Stats> refreshStats() {
    Map<String, BackgroundRefresh.Stats> all = refresh.stats();
    Map<String, BackgroundRefresh.Stats> out = new LinkedHashMap<>();
    COUNTED.forEach(kind -> out.put(kind, all.getOrDefault(kind, BackgroundRefresh.Stats.NONE)));
    return out;
  }

  private void relistSoon() {
    refresh.refreshSoon("list");
  }

  private void reopenEventsAfter(Duration delay) {
    refresh.refreshAfter("events", delay);
  }

  private long nanoTime() {
    return refresh.nanoTime();
  }

  /** Lists containers now, on this thread (tests). */
  void refreshList() {
    refresh.runNow("list");
  }

  /** Reads every known container's usage now, on this thread (tests). */
  void refreshUsage() {
    refresh.runNow("usage");
  }

  /** Lists the containers and publishes; on failure drops them all and marks Docker down. */
  private boolean list() {
    boolean ok;
    try {
      List<ContainerInfo> now = lister.running();
      boolean changed = !ids(now).equals(ids(known));
      known = List.copyOf(now);
      latest.keySet().retainAll(ids(now));
      if (!dockerUp) {
        Logging.log(LOG, Level.INFO, dockerStateLogged ? "Docker daemon reachable again" : "Docker daemon reachable",
            "docker_host", settings.dockerHost(), "containers", now.size());
        dockerStateLogged = true;
      }
      dockerUp = true;
      ok = true;
      fsUsage.keySet().retainAll(ids(now));
      if (changed) {
        refresh.refreshSoon("usage"); // read the new containers' usage without waiting a full interval
        if (fsOn) {
          refresh.refreshSoon("fs");
        }
      }
    } catch (IOException | RuntimeException e) {
      if (dockerUp || !dockerStateLogged) {
        Logging.log(LOG, Level.WARNING, "cannot reach the Docker daemon; reporting no containers until it answers",
            "docker_host", settings.dockerHost(), "err", e.getMessage() == null ? e.toString() : e.getMessage(),
            "check", settings.dockerHost().startsWith("unix://")
                ? "that dockerd runs, that this user may open the socket (owner, group docker, mode), or --docker.host"
                : "that the daemon listens at this address, --docker.tls-verify and --docker.cert-path, or --docker.host");
        dockerStateLogged = true;
      }
      dockerUp = false;
      known = List.of();
      latest.clear();
      fsUsage.clear();
      ok = false;
    }
    publish();
    return ok;
  }

  private static java.util.Set<String> ids(List<ContainerInfo> list) {
    java.util.Set<String> s = new java.util.HashSet<>();
    list.forEach(c -> s.add(c.id()));
    return s;
  }

  /** Reads every known container's usage and publishes the result; false when one could not be read. */
  private boolean usage() throws InterruptedException {
    List<ContainerInfo> list = known;
    boolean allOk = settings.concurrency() == 1 ? readSequentially(list) : readInParallel(list);
    publish();
    return allOk;
  }

  /** Reads the stats API, {@code concurrency} calls at a time on virtual threads (each call mostly waits). */
  private boolean readInParallel(List<ContainerInfo> list) throws InterruptedException {
    Semaphore slots = new Semaphore(settings.concurrency());
    try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Usage>> futures = new ArrayList<>(list.size());
      for (ContainerInfo c : list) {
        futures.add(calls.submit(() -> {
          slots.acquire();
          try {
            return usage.read(c);
          } finally {
            slots.release();
          }
        }));
      }
      boolean allOk = true;
      double now = clock.millis() / 1000.0;
      for (int i = 0; i < list.size(); i++) {
        ContainerInfo c = list.get(i);
        try {
          latest.put(c.id(), entry(c, futures.get(i).get(), now));
        } catch (ExecutionException e) {
          allOk &= failed(c, e.getCause(), now);
        }
      }
      return allOk;
    }
  }

  /** Asks for the writable-layer size of every known container, one after the other (each is a walk of the layer by the daemon). */
  private boolean fs() {
    boolean allOk = true;
    for (ContainerInfo c : known) {
      try {
        Layer layer = fs.writableLayer(c);
        if (layer.bytes() >= 0) {
          fsUsage.put(c.id(), layer);
        }
      } catch (IOException | RuntimeException e) {
        allOk = false;
        fsUsage.remove(c.id());
      }
    }
    publish();
    return allOk;
  }

  /** Reads on this thread one container after the other (the cgroup source: fast local file reads). */
  private boolean readSequentially(List<ContainerInfo> list) {
    boolean allOk = true;
    double now = clock.millis() / 1000.0;
    for (ContainerInfo c : list) {
      try {
        latest.put(c.id(), entry(c, usage.read(c), now));
      } catch (IOException | RuntimeException e) {
        allOk &= failed(c, e, now);
      }
    }
    return allOk;
  }

  /**
   * The new reading with cAdvisor's load average: the first count of running tasks, then each new
   * count weighted by 1 - e^(-interval/10s) so it settles on a steady count within 10 seconds.
   */
  private Entry entry(ContainerInfo c, Usage u, double now) {
    Long running = u.taskStates().get("running");
    double load = -1;
    if (running != null) {
      Entry old = latest.get(c.id());
      double decay = Math.exp(-settings.housekeeping().toMillis() / 10_000.0);
      load = old == null || old.loadAverage() < 0 ? running : old.loadAverage() * decay + running * (1 - decay);
    }
    return new Entry(c, u, now, load);
  }

  /** Handles one container that could not be read; false when it counts as an error. */
  private boolean failed(ContainerInfo c, Throwable cause, double now) {
    if (cause instanceof NoSuchFileException) {
      latest.remove(c.id()); // it stopped: its series go away
      return true;
    }
    Logging.log(LOG, Level.FINE, "cannot read container usage", "container", c.name(), "err", cause.getMessage());
    Entry old = latest.get(c.id());
    // A reading that failed once keeps the last one for a while, so counters do not flap.
    if (old != null && (now - old.seenAt()) * 1000 > settings.housekeeping().multipliedBy(3).toMillis()) {
      latest.remove(c.id());
    }
    return false;
  }

  /** Publishes what the refreshes know now; the framework's listeners (the metrics rendering) see it first. */
  private void publish() {
    refresh.publish(this::build);
  }

  private Snapshot build() {
    List<Entry> entries = new ArrayList<>();
    if (dockerUp) {
      for (ContainerInfo c : known) {
        Entry e = latest.get(c.id());
        if (e != null) {
          entries.add(e);
        }
      }
      entries.sort(Comparator.comparing(e -> e.info().name()));
    }
    // What snapshot() returns is never ahead of what a scrape serves (listeners render first), so
    // the health gauges and the container families agree.
    return new Snapshot(dockerUp, List.copyOf(entries), dockerUp ? Map.copyOf(fsUsage) : Map.of());
  }

  /** Stops the refreshes (a run in progress is interrupted and waited for) and the event stream. */
  @Override
  public void close() {
    refresh.close();
    if (follower != null) {
      follower.close();
    }
  }
}
