package io.promsuite.exporter.container;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the exporter knows about the running containers, kept fresh in the background on virtual
 * threads so a scrape only reads memory: the container list follows Docker events (plus a resync
 * on an interval), usage is re-read every housekeeping interval, and each pass publishes one
 * immutable {@link Snapshot}. When the daemon cannot be reached the containers are dropped, not
 * frozen, and {@link Snapshot#dockerUp()} says so.
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

  /** Everything a scrape reads. */
  public record Snapshot(boolean dockerUp, List<Entry> containers, Map<String, RefreshCounters.Stats> refresh,
      Map<String, Layer> fsUsage) {}

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
  private final Events events;
  private final Settings settings;
  private final Clock clock;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final LinkedBlockingQueue<Boolean> listWanted = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<Boolean> usageWanted = new LinkedBlockingQueue<>();
  private final AtomicReference<Snapshot> snapshot;
  private final RefreshCounters counters = new RefreshCounters("list", "usage", "fs");
  private final FsReader fs;
  private final Map<String, Layer> fsUsage = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<Boolean> fsWanted = new LinkedBlockingQueue<>();
  private volatile List<ContainerInfo> known = List.of();
  private volatile boolean dockerUp;
  /** Whether the daemon's state was logged yet: a change is logged once, not every refresh. */
  private boolean dockerStateLogged;
  private final Map<String, Entry> latest = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private final List<Thread> loops = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<java.util.function.Consumer<Snapshot>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** @param fs writable-layer sizes, or null for none */
  public ContainerCatalog(Lister lister, UsageReader usage, FsReader fs, Events events, Settings settings, Clock clock) {
    this.lister = lister;
    this.fs = fs;
    this.usage = usage;
    this.events = events;
    this.settings = settings;
    this.clock = clock;
    this.snapshot = new AtomicReference<>(new Snapshot(false, List.of(), counters.stats(), Map.of()));
  }

  /**
   * Starts the background threads; the first list and usage pass run at once. The list and usage
   * loops, which also render the metrics text, are platform threads: virtual threads are not
   * preempted, and CPU-bound work on them held up scrapes (which the web server runs on virtual
   * threads) by the length of a render. API calls and the event stream stay on virtual threads.
   */
  public ContainerCatalog start() {
    loops.add(Thread.ofPlatform().daemon().name("catalog-list").start(this::listLoop));
    loops.add(Thread.ofPlatform().daemon().name("catalog-usage").start(this::usageLoop));
    if (fs != null && !settings.fsInterval().isZero()) {
      executor.submit(() -> loop(fsWanted, settings.fsInterval(), this::refreshFs));
    }
    if (events != null) {
      executor.submit(this::eventsLoop);
    }
    listWanted.offer(true);
    return this;
  }

  /** Runs {@code listener} with every snapshot published from now on, on the publishing thread, before {@link #snapshot()} returns it. */
  public void onPublish(java.util.function.Consumer<Snapshot> listener) {
    listeners.add(listener);
  }

  public Snapshot snapshot() {
    return snapshot.get();
  }

  private void listLoop() {
    loop(listWanted, settings.resync(), this::refreshList);
  }

  private void usageLoop() {
    loop(usageWanted, settings.housekeeping(), this::refreshUsage);
  }

  /** Runs {@code refresh} every {@code interval}, or sooner when something is put in {@code wanted}. */
  private void loop(LinkedBlockingQueue<Boolean> wanted, Duration interval, Runnable refresh) {
    while (!closed) {
      try {
        wanted.poll(interval.toMillis(), TimeUnit.MILLISECONDS);
        wanted.clear();
        if (closed) {
          return;
        }
        refresh.run();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Keeps an event stream open; when it ends (daemon gone) asks for a relist and retries with backoff. */
  @SuppressWarnings("try") // the stream is held open by the try block, not used in it
  private void eventsLoop() {
    long backoff = 500;
    while (!closed) {
      LinkedBlockingQueue<Boolean> ended = new LinkedBlockingQueue<>();
      try (Closeable ignored = events.follow(() -> listWanted.offer(true), t -> ended.offer(true))) {
        // Anything that changed while we were not following is picked up by this relist.
        listWanted.offer(true);
        long opened = System.nanoTime();
        ended.take();
        if (System.nanoTime() - opened > TimeUnit.SECONDS.toNanos(10)) {
          backoff = 500;
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        Logging.log(LOG, Level.FINE, "docker events stream failed", "err", e.getMessage());
      }
      if (closed) {
        return;
      }
      listWanted.offer(true);
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        return;
      }
      backoff = Math.min(backoff * 2, settings.resync().toMillis());
    }
  }

  /** Lists containers now (also used by tests); on failure drops them all and marks Docker down. */
  void refreshList() {
    long t0 = System.nanoTime();
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
        usageWanted.offer(true); // read the new containers' usage without waiting a full interval
        fsWanted.offer(true);
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
    record("list", t0, ok);
    publish();
  }

  private static java.util.Set<String> ids(List<ContainerInfo> list) {
    java.util.Set<String> s = new java.util.HashSet<>();
    list.forEach(c -> s.add(c.id()));
    return s;
  }

  /** Reads every known container's usage now, in parallel, and publishes the result. */
  void refreshUsage() {
    long t0 = System.nanoTime();
    List<ContainerInfo> list = known;
    if (settings.concurrency() == 1) {
      readSequentially(t0, list);
      return;
    }
    java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(settings.concurrency());
    List<Future<Usage>> futures = new ArrayList<>(list.size());
    for (ContainerInfo c : list) {
      futures.add(executor.submit(() -> {
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
      } catch (java.util.concurrent.ExecutionException e) {
        allOk &= failed(c, e.getCause(), now);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    record("usage", t0, allOk);
    publish();
  }

  /** Asks for the writable-layer size of every known container, one after the other (each is a walk of the layer by the daemon). */
  void refreshFs() {
    long t0 = System.nanoTime();
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
    record("fs", t0, allOk);
    publish();
  }

  /** Reads on this thread one container after the other (the cgroup source: fast local file reads). */
  private void readSequentially(long t0, List<ContainerInfo> list) {
    boolean allOk = true;
    double now = clock.millis() / 1000.0;
    for (ContainerInfo c : list) {
      try {
        latest.put(c.id(), entry(c, usage.read(c), now));
      } catch (IOException | RuntimeException e) {
        allOk &= failed(c, e, now);
      }
    }
    record("usage", t0, allOk);
    publish();
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

  private void record(String kind, long t0, boolean ok) {
    counters.record(kind, System.nanoTime() - t0, ok);
  }

  private synchronized void publish() {
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
    Snapshot s = new Snapshot(dockerUp, List.copyOf(entries), counters.stats(), dockerUp ? Map.copyOf(fsUsage) : Map.of());
    // Listeners (the metrics rendering) first: what snapshot() returns is never ahead of what a
    // scrape serves, so the health gauges and the container families agree.
    for (java.util.function.Consumer<Snapshot> l : listeners) {
      try {
        l.accept(s);
      } catch (RuntimeException e) {
        Logging.log(LOG, Level.WARNING, "building metrics from a refresh failed", "err", e.toString());
      }
    }
    snapshot.set(s);
  }

  @Override
  public void close() {
    closed = true;
    loops.forEach(Thread::interrupt);
    executor.shutdownNow();
  }
}
