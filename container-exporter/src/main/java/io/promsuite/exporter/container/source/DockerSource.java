package io.promsuite.exporter.container.source;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.UnaryOperator;

/**
 * The Docker Engine API through docker-java: running containers (list, then inspect each new one
 * once), container events, and per-container stats ({@code stream=false&one-shot=true}, sent raw on
 * docker-java's transport because its stats command cannot ask for one-shot).
 */
public final class DockerSource implements Closeable {

  /**
   * Where and how to reach the daemon.
   *
   * @param host {@code unix:///var/run/docker.sock} or {@code tcp://host:2376}
   * @param tlsVerify TLS with client certificates for tcp (DOCKER_TLS_VERIFY)
   * @param certPath directory holding ca.pem, cert.pem, key.pem (DOCKER_CERT_PATH)
   * @param timeout connect and response timeout of one API call
   * @param concurrency API calls in flight at once
   */
  public record Config(String host, boolean tlsVerify, String certPath, Duration timeout, int concurrency) {}

  private final Config config;
  private final DockerClientConfig dockerConfig;
  /** Built on first use, on the catalog's thread: docker-java's HTTP client loads the JDK's trust store (~0.3 s cold). */
  private Clients clients;
  private boolean closed;

  /** The daemon's clients: one for requests, one for the events long poll (no response timeout). */
  private record Clients(DockerHttpClient http, DockerClient client, DockerClient events) {}
  private final Semaphore inFlight;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, ContainerInfo> inspected = new ConcurrentHashMap<>();
  /** OOM events per container id, from the event stream (the stats API has no count). */
  private final Map<String, OomCount> oomEvents = new ConcurrentHashMap<>();

  /** A container's OOM events, and when the first was seen (a count for a container never listed is dropped after a while). */
  private record OomCount(java.util.concurrent.atomic.AtomicLong events, long firstSeenNanos) {}

  /** How long the OOM count of a container that is not (or no longer) listed is kept. */
  private static final long OOM_UNLISTED_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
  /** Time (ns since the epoch) of the last event seen: a new stream starts there, so no OOM event is missed. */
  private volatile long lastEventNanos;
  private final UnaryOperator<String> deviceName;
  private volatile String cgroupDriver;
  private volatile String rootDir = "/var/lib/docker";
  private volatile String serverVersion = "";
  private volatile String storageDriver = "";

  /** @param deviceName maps "major:minor" of the stats' block I/O to the device label */
  public DockerSource(Config config, UnaryOperator<String> deviceName) {
    this.config = config;
    this.deviceName = deviceName;
    DefaultDockerClientConfig.Builder b = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(config.host()).withDockerTlsVerify(config.tlsVerify());
    if (config.certPath() != null && !config.certPath().isEmpty()) {
      b.withDockerCertPath(config.certPath());
    }
    this.dockerConfig = b.build();
    this.inFlight = new Semaphore(config.concurrency());
  }

  public String host() {
    return config.host();
  }

  private synchronized Clients clients() {
    if (closed) {
      throw new IllegalStateException("the Docker source is closed");
    }
    if (clients == null) {
      DockerClientConfig cfg = dockerConfig;
      DockerHttpClient http = new ApacheDockerHttpClient.Builder().dockerHost(cfg.getDockerHost()).sslConfig(cfg.getSSLConfig())
          .connectionTimeout(config.timeout()).responseTimeout(config.timeout())
          .maxConnections(config.concurrency() + 4).build();
      // Events are a long poll: no response timeout on their own connection.
      DockerHttpClient eventsHttp = new ApacheDockerHttpClient.Builder().dockerHost(cfg.getDockerHost())
          .sslConfig(cfg.getSSLConfig()).connectionTimeout(config.timeout()).maxConnections(2).build();
      clients = new Clients(http, DockerClientImpl.getInstance(cfg, http), DockerClientImpl.getInstance(cfg, eventsHttp));
    }
    return clients;
  }

  /**
   * Running containers; each new one is inspected once (its pid, start time and limits do not
   * change while it runs).
   *
   * @throws IOException naming the daemon when it cannot be reached or answers nonsense
   */
  public List<ContainerInfo> running() throws IOException {
    if (cgroupDriver == null) {
      cgroupDriver = call("GET /info", () -> {
        Info info = clients().client().infoCmd().exec();
        if (info.getDockerRootDir() != null && !info.getDockerRootDir().isEmpty()) {
          rootDir = info.getDockerRootDir();
        }
        serverVersion = info.getServerVersion() == null ? "" : info.getServerVersion();
        storageDriver = info.getDriver() == null ? "" : info.getDriver();
        return info.getCGroupDriver() == null ? "cgroupfs" : info.getCGroupDriver();
      });
    }
    List<Container> list = call("GET /containers/json", () -> clients().client().listContainersCmd().exec());
    Set<String> ids = ConcurrentHashMap.newKeySet();
    List<Future<ContainerInfo>> pending = new ArrayList<>();
    for (Container c : list) {
      ids.add(c.getId());
      ContainerInfo known = inspected.get(c.getId());
      if (known != null) {
        // Health changes while a container runs; the listing (refreshed on its health_status events) has it.
        pending.add(java.util.concurrent.CompletableFuture.completedFuture(known.withHealth(ContainerInfo.healthOf(c.getStatus()))));
      } else {
        pending.add(executor.submit(() -> inspect(c)));
      }
    }
    List<ContainerInfo> out = new ArrayList<>(list.size());
    for (Future<ContainerInfo> f : pending) {
      try {
        ContainerInfo info = f.get();
        if (info != null) {
          out.add(info);
        }
      } catch (java.util.concurrent.ExecutionException e) {
        throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while listing containers");
      }
    }
    // An OOM event may name a container that is not listed yet: unlisted counts go after a minute.
    long now = System.nanoTime();
    oomEvents.entrySet().removeIf(e -> !ids.contains(e.getKey()) && now - e.getValue().firstSeenNanos() > OOM_UNLISTED_NANOS);
    inspected.keySet().retainAll(ids);
    return out;
  }

  private ContainerInfo inspect(Container c) throws IOException {
    InspectContainerResponse r;
    try {
      r = call("GET /containers/" + c.getId() + "/json", () -> clients().client().inspectContainerCmd(c.getId()).exec());
    } catch (IOException e) {
      if (e.getCause() instanceof com.github.dockerjava.api.exception.NotFoundException) {
        return null; // removed between list and inspect
      }
      throw e;
    }
    if (r.getState() == null || !Boolean.TRUE.equals(r.getState().getRunning())) {
      return null;
    }
    HostConfig hc = r.getHostConfig() == null ? new HostConfig() : r.getHostConfig();
    long period = orZero(hc.getCpuPeriod());
    long quota = orZero(hc.getCpuQuota());
    long nanoCpus = orZero(hc.getNanoCPUs());
    if (quota <= 0 && nanoCpus > 0) {
      // --cpus sets NanoCpus; the daemon turns it into a CFS quota over a 100 ms period.
      long p = period > 0 ? period : 100_000;
      quota = nanoCpus * p / 1_000_000_000L;
    }
    String name = r.getName() != null ? r.getName() : (c.getNames() != null && c.getNames().length > 0 ? c.getNames()[0] : c.getId());
    Map<String, String> labels = c.getLabels() == null ? Map.of() : new HashMap<>(c.getLabels());
    String image = r.getConfig() != null && r.getConfig().getImage() != null ? r.getConfig().getImage() : c.getImage();
    Long pid = r.getState().getPidLong();
    ContainerInfo info = new ContainerInfo(c.getId(), name.startsWith("/") ? name.substring(1) : name,
        image == null ? "" : image, labels, cgroupPath(c.getId(), hc.getCgroupParent()), pid == null ? 0 : pid,
        startTime(r), orZero(hc.getMemory()), Math.max(0, quota), period, hc.getCpuShares() == null ? 0 : hc.getCpuShares(),
        orZero(hc.getMemoryReservation()), swapLimit(hc), ContainerInfo.healthOf(c.getStatus()));
    inspected.put(c.getId(), info);
    return info;
  }

  /** The memory + swap limit the daemon sets: MemorySwap, or twice Memory when only that is set; 0 for unlimited. */
  private static long swapLimit(HostConfig hc) {
    long memory = orZero(hc.getMemory());
    long swap = orZero(hc.getMemorySwap());
    if (swap > 0) {
      return swap;
    }
    return swap == 0 && memory > 0 ? 2 * memory : 0;
  }

  private static double startTime(InspectContainerResponse r) {
    String started = r.getState().getStartedAt();
    try {
      return Instant.parse(started != null && !started.startsWith("0001") ? started : r.getCreated()).toEpochMilli() / 1000.0;
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** The cgroup Docker gives a container: {@code /docker/<id>} (cgroupfs) or a systemd scope. */
  private String cgroupPath(String id, String parent) {
    if ("systemd".equals(cgroupDriver)) {
      String slice = parent == null || parent.isEmpty() ? "system.slice" : parent;
      return "/" + slice + "/docker-" + id + ".scope";
    }
    String p = parent == null || parent.isEmpty() ? "/docker" : (parent.startsWith("/") ? parent : "/" + parent);
    return p + "/" + id;
  }

  /** The daemon's version ({@code ServerVersion} of /info), empty until it answered. */
  public String serverVersion() {
    return serverVersion;
  }

  /** The daemon's data directory ({@code DockerRootDir}), where the containers' writable layers live. */
  public String rootDir() {
    return rootDir;
  }

  /**
   * Bytes in the container's writable layer ({@code SizeRw} of an inspect with {@code size=true});
   * the daemon walks the layer to compute it, so this is asked far less often than stats.
   */
  public long writableLayerBytes(String id) throws IOException {
    Long size = call("GET /containers/" + id + "/json?size=true",
        () -> clients().client().inspectContainerCmd(id).withSize(true).exec().getSizeRw());
    return size == null ? Usage.UNKNOWN : size;
  }

  /** The daemon's storage driver ({@code Driver} of /info, e.g. overlay2), empty until it answered. */
  public String storageDriver() {
    return storageDriver;
  }

  /** One stats reading of a container from the Engine API. */
  public Usage stats(String id) throws IOException {
    String path = "/containers/" + id + "/stats?stream=false&one-shot=true";
    String what = "docker " + config.host() + " GET " + path;
    acquire();
    try (DockerHttpClient.Response r = clients().http().execute(new DockerHttpClient.Request.Builder()
        .method(DockerHttpClient.Request.Method.GET).path(path).build())) {
      if (r.getStatusCode() != 200) {
        byte[] body = r.getBody().readNBytes(300);
        throw new IOException(what + ": HTTP " + r.getStatusCode() + ": " + new String(body, StandardCharsets.UTF_8).trim());
      }
      OomCount ooms = oomEvents.get(id);
      return EngineStats.parse(r.getBody(), what, deviceName).withOomKills(ooms == null ? 0 : ooms.events().get());
    } catch (RuntimeException e) {
      throw new IOException(what + ": " + message(e), e);
    } finally {
      inFlight.release();
    }
  }

  /**
   * Follows container events until the stream ends or fails; {@code onChange} runs for each
   * container event, and each {@code oom} event is counted for its container (the kernel OOM-killed
   * a process in its cgroup: the container's main process or a child). The first stream starts with
   * the events the daemon still holds (its last 256), so OOM kills shortly before the exporter
   * started count too, as cAdvisor counts those still in the kernel's log; a stream opened again
   * starts at the last event seen, so each is counted once. Returns a handle that stops following.
   */
  public Closeable follow(Runnable onChange, java.util.function.Consumer<Throwable> onEnd) {
    long since = lastEventNanos;
    var cmd = clients().events().eventsCmd().withEventTypeFilter(EventType.CONTAINER)
        .withSince(since == 0 ? "1" : since / 1_000_000_000L + "." + String.format("%09d", since % 1_000_000_000L));
    return cmd.exec(new ResultCallback.Adapter<Event>() {
      @Override
      public void onNext(Event event) {
        Long t = event.getTimeNano();
        if (t != null) {
          if (t <= since) {
            return; // seen on the stream before
          }
          lastEventNanos = Math.max(lastEventNanos, t);
        }
        if ("oom".equals(event.getAction()) && event.getId() != null) {
          oomEvents.computeIfAbsent(event.getId(), k -> new OomCount(new java.util.concurrent.atomic.AtomicLong(),
              System.nanoTime())).events().incrementAndGet();
        }
        onChange.run();
      }

      @Override
      public void onError(Throwable t) {
        super.onError(t);
        onEnd.accept(t);
      }

      @Override
      public void onComplete() {
        super.onComplete();
        onEnd.accept(null);
      }
    });
  }

  @FunctionalInterface
  private interface Call<T> {
    T run();
  }

  private <T> T call(String what, Call<T> call) throws IOException {
    acquire();
    try {
      return call.run();
    } catch (RuntimeException e) {
      throw new IOException("docker " + config.host() + " " + what + ": " + message(e), e);
    } finally {
      inFlight.release();
    }
  }

  private void acquire() throws IOException {
    try {
      inFlight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }

  private static String message(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t instanceof RuntimeException && t.getCause() instanceof IOException)) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return m.length() > 300 ? m.substring(0, 300) + "..." : m.trim();
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }

  @Override
  public void close() throws IOException {
    executor.shutdownNow();
    Clients built;
    synchronized (this) {
      closed = true;
      built = clients;
    }
    if (built != null) {
      try {
        built.client().close();
      } finally {
        built.events().close();
      }
    }
  }
}
