package io.promsuite.e2e.stack;

import io.promsuite.e2e.receivers.WebhookReceivers;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole monitoring stack on loopback, as real processes: Prometheus (one or an HA pair, plus a
 * global one federating the SLO series), Alertmanager (one or a two-node cluster), the
 * Pushgateway, every exporter of the suite, the demo inference gateway, DNS for the DNS probe, a
 * private dockerd for the container exporter, and the local receivers. Configs are generated from
 * packaging/'s reference files. {@link #close()} stops everything it started, by PID.
 */
public final class LocalStack implements AutoCloseable {
  /** The suite's exporters, each run from its launcher {@code <module>/target/bin/<module>}. */
  public static final List<String> EXPORTERS = List.of("host-exporter", "container-exporter", "blackbox-exporter", "ml-model-exporter");

  private final StackOptions options;
  private final PrintStream out;
  private final Map<String, ManagedProcess> processes = new LinkedHashMap<>();
  private final Map<String, String> urls = new LinkedHashMap<>();
  private final List<String> missing = new ArrayList<>();
  private WebhookReceivers receivers;

  private LocalStack(StackOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Generates the configs, starts everything and waits until each part is ready. */
  public static LocalStack start(StackOptions options, PrintStream out) throws IOException, InterruptedException {
    LocalStack stack = new LocalStack(options, out);
    try {
      stack.startAll();
      return stack;
    } catch (IOException | InterruptedException | RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  private void startAll() throws IOException, InterruptedException {
    Path dir = Files.createDirectories(options.workDir());
    SuiteLayout layout = options.layout();
    if (!layout.missingReferences().isEmpty()) {
      throw new IOException("packaging reference files missing: " + layout.missingReferences());
    }
    StackFiles files = new StackFiles(options);
    receivers = WebhookReceivers.start(new InetSocketAddress("127.0.0.1", port(9099)), out);
    urls.put("receivers", "http://127.0.0.1:" + receivers.port() + "/");

    AddressBook book = new AddressBook();
    int gateway = port(8000);
    book.put("inference-gateway:8000", "127.0.0.1:" + gateway).host("inference-gateway", "127.0.0.1");
    add("inference-gateway", List.of(layout.launcher("e2e").toString(), "--web.listen-address=127.0.0.1:" + gateway,
        "--traffic.rate=" + options.trafficRate(), "--traffic.error-ratio=" + options.errorRatio()),
        "http://127.0.0.1:" + gateway + "/ready");

    String dockerHost = "unix:///var/run/docker.sock";
    if (options.privateDockerd()) {
      Path docker = Files.createDirectories(dir.resolve("docker"));
      dockerHost = "unix://" + docker.resolve("docker.sock");
      add("dockerd", Docker.command(docker), null);
    }
    int dns = port(1053);
    if (Files.isExecutable(Path.of("/usr/sbin/dnsmasq"))) {
      // Answers every name with 127.0.0.1: the DNS probe's target resolver.
      add("dnsmasq", List.of("/usr/sbin/dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--port=" + dns,
          "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts", "--address=/#/127.0.0.1",
          "--pid-file=" + dir.resolve("dnsmasq.pid"), "--log-facility=-"), null);
      book.put("dns-resolver:53", "127.0.0.1:" + dns);
    } else {
      missing.add("dnsmasq (/usr/sbin/dnsmasq): the DNS probe has no resolver");
      book.put("dns-resolver:53", null);
    }

    int[] exporterPorts = {port(9100), port(8080), port(9115), port(9101)};
    String[] referenceAddresses = {"host-exporter:9100", "container-exporter:8080", "blackbox-exporter:9115", "ml-model-exporter:9101"};
    for (int i = 0; i < EXPORTERS.size(); i++) {
      String module = EXPORTERS.get(i);
      Path launcher = launcher(module);
      String listen = "127.0.0.1:" + exporterPorts[i];
      if (!Files.isExecutable(launcher)) {
        missing.add(module + " (" + launcher + " not built)");
        book.put(referenceAddresses[i], module.equals("blackbox-exporter") ? listen : null);
        continue;
      }
      book.put(referenceAddresses[i], listen);
      List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "--web.listen-address=" + listen));
      switch (module) {
        case "container-exporter" -> cmd.add("--docker.host=" + dockerHost);
        case "blackbox-exporter" -> cmd.add("--config.file=" + layout.file(SuiteLayout.BLACKBOX));
        case "ml-model-exporter" -> cmd.addAll(List.of("--store.local.path=" + files.models(), "--refresh.interval=1s"));
        default -> { }
      }
      add(module, cmd, "http://" + listen + "/metrics");
    }

    int pushgateway = port(9091);
    book.put("pushgateway:9091", "127.0.0.1:" + pushgateway);
    add("pushgateway", List.of("/usr/bin/prometheus-pushgateway", "--web.listen-address=127.0.0.1:" + pushgateway,
        "--persistence.file=" + dir.resolve("pushgateway.db"), "--persistence.interval=1s"),
        "http://127.0.0.1:" + pushgateway + "/-/ready");

    List<String> alertmanagers = new ArrayList<>();
    int[] amPorts = new int[options.alertmanagers()];
    int[] gossip = new int[options.alertmanagers()];
    for (int i = 0; i < amPorts.length; i++) {
      amPorts[i] = port(9093 + 100 * i);
      gossip[i] = port(9094 + 100 * i);
      alertmanagers.add("127.0.0.1:" + amPorts[i]);
    }
    book.put("alertmanager:9093", alertmanagers.getFirst());
    Path amConfig = files.alertmanager(receivers::url);
    for (int i = 0; i < amPorts.length; i++) {
      String name = "alertmanager-" + (i + 1);
      List<String> cmd = new ArrayList<>(List.of("/usr/bin/prometheus-alertmanager", "--config.file=" + amConfig,
          "--storage.path=" + Files.createDirectories(dir.resolve(name)), "--web.listen-address=127.0.0.1:" + amPorts[i]));
      if (amPorts.length == 1) {
        cmd.add("--cluster.listen-address=");
      } else {
        cmd.addAll(List.of("--cluster.listen-address=127.0.0.1:" + gossip[i], "--cluster.advertise-address=127.0.0.1:" + gossip[i],
            "--cluster.peer=127.0.0.1:" + gossip[1 - i], "--cluster.gossip-interval=100ms",
            "--cluster.pushpull-interval=5s", "--cluster.peer-timeout=" + (options.fast() ? "2s" : "15s")));
      }
      add(name, cmd, "http://127.0.0.1:" + amPorts[i] + "/-/ready");
    }

    String rules = files.rules();
    List<String> regional = new ArrayList<>();
    for (int i = 0; i < options.prometheusReplicas(); i++) {
      String name = "prometheus-" + (char) ('a' + i);
      int p = port(9090 + 100 * i);
      book.put("localhost:9090", "127.0.0.1:" + p);
      Path config = files.prometheus(name, "prometheus-" + i, alertmanagers, rules, book);
      regional.add("127.0.0.1:" + p);
      addPrometheus(name, config, p);
    }
    if (options.federation()) {
      AddressBook fed = new AddressBook().put("prometheus-us-east:9090", regional.getFirst())
          .put("prometheus-eu:9090", regional.size() > 1 ? regional.get(1) : null).put("prometheus-apac:9090", null);
      addPrometheus("prometheus-global", files.federation(fed), port(9490));
    }

    for (ManagedProcess p : processes.values()) {
      p.start();
    }
    for (ManagedProcess p : processes.values()) {
      if (p.name().equals("dockerd")) {
        Docker.awaitPing(dir.resolve("docker/docker.sock"), p, Duration.ofSeconds(60));
      }
      p.awaitReady(Duration.ofSeconds(90));
    }
  }

  private void addPrometheus(String name, Path config, int port) {
    Path data = options.workDir().resolve(name + "-data");
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/prometheus", "--config.file=" + config, "--storage.tsdb.path=" + data,
        "--web.listen-address=127.0.0.1:" + port, "--web.enable-lifecycle"));
    // The default alert resend delay (1 m) stays: with a short one, the second server of an HA
    // pair re-sends "firing" in the second after the first one resolved, Alertmanager's merge
    // takes the younger update, and a resolved alert briefly fires again.
    add(name, cmd, "http://127.0.0.1:" + port + "/-/ready");
  }

  private void add(String name, List<String> command, String readyUrl) {
    // dockerd stops its containers before it exits; killing it early would leave their shims behind.
    Duration stop = name.equals("dockerd") ? Duration.ofSeconds(40) : Duration.ofSeconds(10);
    processes.put(name, new ManagedProcess(name, command, options.workDir().resolve("logs").resolve(name + ".log"), readyUrl, stop));
    if (readyUrl != null) {
      urls.put(name, readyUrl.replaceFirst("/(-/ready|ready|metrics)$", "/"));
    }
  }

  /** {@code -Dpromsuite.launcher.<module>=path} runs another build of a module (development). */
  private Path launcher(String module) {
    String override = System.getProperty("promsuite.launcher." + module, "");
    return override.isEmpty() ? options.layout().launcher(module) : Path.of(override);
  }

  private int port(int standard) throws IOException {
    if (options.standardPorts() && free(standard)) {
      return standard;
    }
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public WebhookReceivers receivers() {
    return receivers;
  }

  /** A process of the stack by name (inference-gateway, prometheus-a, alertmanager-2, ...). */
  public ManagedProcess process(String name) {
    ManagedProcess p = processes.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no process " + name + " in the stack; there are " + processes.keySet());
    }
    return p;
  }

  public boolean has(String name) {
    return processes.containsKey(name);
  }

  /** Base URL (ending in /) of each HTTP part, by name. */
  public Map<String, String> urls() {
    return Map.copyOf(urls);
  }

  public String url(String name) {
    String u = urls.get(name);
    if (u == null) {
      throw new IllegalArgumentException("no URL for " + name + "; there are " + urls.keySet());
    }
    return u;
  }

  /** Parts that could not be started here (an exporter not built, a binary not installed), with why. */
  public List<String> missing() {
    return List.copyOf(missing);
  }

  /** Stops every process in reverse start order, then the receivers. */
  @Override
  public void close() {
    List<ManagedProcess> reverse = new ArrayList<>(processes.values());
    java.util.Collections.reverse(reverse);
    for (ManagedProcess p : reverse) {
      p.close();
    }
    if (receivers != null) {
      receivers.close();
    }
    if (processes.containsKey("dockerd")) {
      Docker.unmountUnder(options.workDir().resolve("docker"));
    }
  }
}
