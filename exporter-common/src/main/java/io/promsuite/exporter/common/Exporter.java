package io.promsuite.exporter.common;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.promsuite.exporter.common.cli.FlagException;
import io.promsuite.exporter.common.cli.Flags;
import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.CollectorRegistry;
import io.promsuite.exporter.common.config.ConfigException;
import io.promsuite.exporter.common.log.Logging;
import io.promsuite.exporter.common.web.InFlightLimit;
import io.promsuite.exporter.common.web.ListenAddress;
import io.promsuite.exporter.common.web.LiveWebConfig;
import io.promsuite.exporter.common.web.ScrapeHandler;
import io.promsuite.exporter.common.web.WebServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The bootstrap every exporter's {@code main} uses: Go-exporter flags, logging, collectors with
 * {@code --collector.<name>} switches, the web server with the web config, landing page, health,
 * reload (POST /-/reload and SIGHUP), build info and graceful shutdown on SIGTERM.
 *
 * <pre>{@code
 * Exporter.builder("host-exporter", "node")
 *     .defaultListenAddress(":9100")
 *     .collector("cpu", true, "CPU seconds", flags -> new CpuCollector(...))
 *     .run(args);
 * }</pre>
 */
public final class Exporter {
  private static final Logger LOG = Logger.getLogger(Exporter.class.getName());

  /** Makes a collector once flags are parsed (so it can read its own flags). */
  @FunctionalInterface
  public interface CollectorFactory {
    Collector create(Flags flags) throws Exception;
  }

  /** Wires exporter-specific parts (handlers, config, own metrics) once flags are parsed. */
  @FunctionalInterface
  public interface Setup {
    void setup(Context context) throws Exception;
  }

  /** Re-reads configuration; throws to keep the old one. */
  @FunctionalInterface
  public interface Reloader {
    void reload() throws ConfigException;
  }

  private record CollectorSpec(String name, boolean enabledByDefault, String help, CollectorFactory factory) {}

  /** Declares an exporter; see the class comment. */
  public static final class Builder {
    private final String program;
    private final String prefix;
    private String description = "";
    private String listenAddress = ":9100";
    private final Flags flags = new Flags();
    private final List<CollectorSpec> collectors = new ArrayList<>();
    private final List<Setup> setups = new ArrayList<>();
    private final List<String> trainingPaths = new ArrayList<>();
    private String configReloadStem;
    private String configReloadHelp;

    private Builder(String program, String prefix) {
      this.program = program;
      this.prefix = prefix;
    }

    public Builder description(String description) {
      this.description = description;
      return this;
    }

    public Builder defaultListenAddress(String address) {
      this.listenAddress = address;
      return this;
    }

    /** Exporter-specific flags; read them in collector factories and {@link Setup}. */
    public Builder flags(java.util.function.Consumer<Flags> declare) {
      declare.accept(flags);
      return this;
    }

    public Builder collector(String name, boolean enabledByDefault, String help, CollectorFactory factory) {
      collectors.add(new CollectorSpec(name, enabledByDefault, help, factory));
      return this;
    }

    public Builder setup(Setup setup) {
      setups.add(setup);
      return this;
    }

    /**
     * Names the config reload gauges {@code <metricPrefix>_config_last_reload_successful} and
     * {@code _success_timestamp_seconds} instead of {@code <prefix>_config_...}, with
     * {@code successfulHelp} as the first one's HELP: for a Go exporter whose own names existing
     * alerts use (blackbox_exporter's are {@code blackbox_exporter_config_...}).
     */
    public Builder configReloadMetrics(String metricPrefix, String successfulHelp) {
      this.configReloadStem = metricPrefix + "_config";
      this.configReloadHelp = successfulHelp;
      return this;
    }

    /**
     * Requests the build's class-data training run sends besides the scrapes, so that the classes
     * they load are archived too ({@code {base}} is the exporter's own URL, {@code {port}} its port).
     */
    public Builder trainingPaths(String... paths) {
      trainingPaths.addAll(List.of(paths));
      return this;
    }

    /** Starts the exporter and returns once it serves; for tests and embedding. */
    public Running start(String... args) throws FlagException, ConfigException, Exception {
      declareCommonFlags();
      flags.parse(args);
      if (!flags.positional().isEmpty()) {
        throw new FlagException("unexpected argument '" + flags.positional().getFirst() + "' (flags are written --name=value)");
      }
      return Running.open(this);
    }

    /** {@code main}: runs until SIGTERM/SIGINT; exit 2 on a bad flag, 1 on a bad config or bind error. */
    public void run(String... args) {
      PrintStream err = System.err;
      // Registered first: a SIGTERM that arrives while we start up still stops us cleanly.
      java.util.concurrent.atomic.AtomicReference<Running> current = new java.util.concurrent.atomic.AtomicReference<>();
      CountDownLatch stopped = new CountDownLatch(1);
      java.util.concurrent.atomic.AtomicBoolean announced = new java.util.concurrent.atomic.AtomicBoolean();
      Runnable announce = () -> {
        if (current.get() != null && announced.compareAndSet(false, true)) {
          Logging.log(LOG, Level.INFO, "shutting down");
        }
      };
      Signals.onTerminate(announce);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        Running r = current.get();
        if (r != null) {
          announce.run();
          r.close();
        }
        stopped.countDown();
      }, "shutdown"));
      Running running;
      try {
        declareCommonFlags();
        flags.parse(args);
        if (flags.bool("help")) {
          System.out.print(flags.usage(program, description));
          System.exit(0);
        }
        if (flags.bool("version")) {
          System.out.print(BuildInfo.load().banner(program));
          System.exit(0);
        }
        if (!flags.positional().isEmpty()) {
          throw new FlagException("unexpected argument '" + flags.positional().getFirst() + "'");
        }
        running = Running.open(this);
      } catch (FlagException e) {
        err.println(program + ": error: " + e.getMessage() + ", try --help");
        System.exit(2);
        return;
      } catch (ConfigException e) {
        err.println(program + ": error: " + e.getMessage());
        System.exit(1);
        return;
      } catch (RuntimeException e) {
        // A fault of ours, not of the user's input: one line without the exception's class, the
        // stack trace only when asked for.
        err.println(program + ": error: unexpected failure while starting"
            + (e.getMessage() == null ? "" : ": " + e.getMessage())
            + (debugRequested(args) ? "" : " (--log.level=debug prints the stack trace)"));
        if (debugRequested(args)) {
          e.printStackTrace(err);
        }
        System.exit(1);
        return;
      } catch (Exception e) {
        err.println(program + ": error: " + (e.getMessage() == null ? "cannot start" : e.getMessage()));
        if (debugRequested(args)) {
          e.printStackTrace(err);
        }
        System.exit(1);
        return;
      } catch (LinkageError e) {
        System.exit(incompleteInstallation(program, e, args));
        return;
      }
      current.set(running);
      if (Training.requested()) {
        try {
          Training.run(running, flags.get("web.telemetry-path"), trainingPaths);
        } catch (IOException e) {
          err.println(program + ": error: class-data training run failed: " + e.getMessage());
          System.exit(1);
        }
        System.exit(0);
      }
      Signals.onHangup(running::reloadAndLog);
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private boolean commonDeclared;

    private void declareCommonFlags() {
      if (commonDeclared) {
        return;
      }
      commonDeclared = true;
      flags.string("web.listen-address", listenAddress, "Address on which to expose metrics and web interface.")
          .string("web.telemetry-path", "/metrics", "Path under which to expose metrics.")
          .string("web.config.file", "", "Path to configuration file that can enable TLS or authentication (exporter-toolkit format).")
          .string("web.max-requests", "40", "Maximum number of parallel scrape requests. Use 0 to disable.")
          .string("web.read-header-timeout", "10s", "Time a client has to finish the TLS handshake and send the request's headers.")
          .string("scrape.timeout", "10s", "Collector deadline when Prometheus sends no X-Prometheus-Scrape-Timeout-Seconds.")
          .string("scrape.timeout-offset", "0.5s", "Subtracted from Prometheus' scrape timeout to leave time for the response.")
          .string("log.level", "info", "Only log messages with the given severity or above. One of: [debug, info, warn, error]")
          .string("log.format", "logfmt", "Output format of log messages. One of: [logfmt, json]")
          .bool("web.systemd-socket", false, "Use systemd socket activation listeners instead of port listeners (not supported on the JVM).")
          .bool("web.disable-exporter-metrics", false, "Exclude metrics about the exporter itself (process_*).")
          .bool("collector.disable-defaults", false, "Set all collectors to disabled by default.")
          .bool("version", false, "Show application version.")
          .bool("help", false, "Show context-sensitive help.");
      for (CollectorSpec c : collectors) {
        flags.bool("collector." + c.name(), c.enabledByDefault(), "Enable the " + c.name() + " collector: " + c.help());
      }
    }
  }

  public static Builder builder(String program, String metricPrefix) {
    return new Builder(program, metricPrefix);
  }

  /**
   * {@code main} of an exporter: {@link Builder#run} on the declared builder, and a missing class
   * (a jar left out of lib/) is one line on stderr and exit 1, whether declaring or starting hits it.
   */
  public static void main(String program, java.util.function.Supplier<Builder> declaration, String... args) {
    Builder builder;
    try {
      builder = declaration.get();
    } catch (LinkageError e) {
      System.exit(incompleteInstallation(program, e, args));
      return;
    }
    builder.run(args);
  }

  /** One line for a class the installation lacks (its stack trace only with --log.level=debug); the exit code. */
  static int incompleteInstallation(String program, LinkageError e, String... args) {
    String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replace('/', '.');
    System.err.println(program + ": error: incomplete installation: class " + what
        + " cannot be loaded (a jar is missing from the exporter's lib/ directory; reinstall the package)");
    if (debugRequested(args)) {
      e.printStackTrace();
    }
    return 1;
  }

  /** --log.level=debug (or "--log.level debug") among the arguments: start-up errors carry their stack trace. */
  static boolean debugRequested(String... args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--log.level=debug") || args[i].equals("--log.level") && i + 1 < args.length
          && args[i + 1].equals("debug")) {
        return true;
      }
    }
    return false;
  }

  /** What {@link Setup} gets: parsed flags, the /metrics registry and a way to add routes and reload. */
  public interface Context {
    Flags flags();

    String metricPrefix();

    /** The registry of the exporter's own metrics, served on the telemetry path next to the collectors' families. */
    PrometheusRegistry registry();

    /** Adds a route; basic auth, TLS and headers apply to it as to /metrics. */
    void handle(String path, String description, HttpHandler handler);

    /** Enables POST /-/reload and SIGHUP, with {@code <prefix>_config_last_reload_*} metrics. */
    void onReload(Reloader reloader);

    /**
     * Makes /-/ready answer 503 with the reason {@code notReady} gives until it gives null (for
     * example until the first background read of the data the exporter serves has finished).
     */
    void readiness(Supplier<String> notReady);

    /**
     * Hands the framework something the exporter started (an executor, a client, a background
     * refresher): closed when the exporter stops, after the web server, last handed first; and
     * at once if the start fails after this call.
     */
    void onClose(AutoCloseable resource);
  }

  /** A started exporter. */
  public static final class Running implements AutoCloseable {
    private final Builder spec;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final CollectorRegistry collectors;
    private final Map<String, String> links = new LinkedHashMap<>();
    private final Map<String, HttpHandler> routes = new LinkedHashMap<>();
    private final ReloadStatus reloadStatus;
    private final ReloadStatus webReloadStatus;
    private Reloader reloader;
    private final LiveWebConfig web;
    private Supplier<String> readiness = () -> null;
    private final WebServer server;
    private final Thread webWatcher;

    private final java.util.Deque<AutoCloseable> resources;

    /** Starts; on a failed start what the exporter handed to {@link Context#onClose} is closed. */
    static Running open(Builder spec) throws Exception {
      java.util.Deque<AutoCloseable> resources = new java.util.ArrayDeque<>();
      try {
        return new Running(spec, resources);
      } catch (Exception | Error e) {
        closeAll(resources);
        throw e;
      }
    }

    private static void closeAll(java.util.Deque<AutoCloseable> resources) {
      for (AutoCloseable r; (r = resources.poll()) != null; ) {
        try {
          r.close();
        } catch (Exception e) {
          Logging.log(LOG, Level.WARNING, "closing a resource failed", "resource", r.getClass().getSimpleName(),
              "err", e.getMessage());
        }
      }
    }

    private Running(Builder spec, java.util.Deque<AutoCloseable> resources) throws Exception {
      this.resources = resources;
      this.spec = spec;
      Flags flags = spec.flags;
      try {
        Logging.configure(flags.get("log.level"), flags.get("log.format"));
      } catch (IllegalArgumentException e) {
        throw new FlagException("flag --log.* : " + e.getMessage());
      }
      if (flags.bool("web.systemd-socket")) {
        throw new FlagException("flag --web.systemd-socket is not supported (the JVM cannot take over systemd's"
            + " sockets); drop the socket unit and set --web.listen-address instead");
      }
      // The web stack's class initialisers and bcrypt's loops, on the other core while this one
      // builds the collectors.
      io.promsuite.exporter.common.web.WarmUp.start(!flags.get("web.config.file").isEmpty());
      BuildInfo build = BuildInfo.load();
      collectors = new CollectorRegistry(spec.prefix, flags.duration("scrape.timeout"), flags.duration("scrape.timeout-offset"));
      boolean defaultsOff = flags.bool("collector.disable-defaults");
      for (CollectorSpec c : spec.collectors) {
        String flag = "collector." + c.name();
        if (flags.isSet(flag) ? flags.bool(flag) : c.enabledByDefault() && !defaultsOff) {
          collectors.register(c.name(), c.factory().create(flags));
          Logging.log(LOG, Level.INFO, "collector enabled", "collector", c.name());
        }
      }
      registry.register(new BuildInfoCollector(spec.prefix, build));
      if (!flags.bool("web.disable-exporter-metrics")) {
        // The Go exporters' process collector; their go_* runtime families have no JVM counterpart here.
        registry.register(ProcessCollector.self());
      }
      reloadStatus = spec.configReloadStem == null ? new ReloadStatus(spec.prefix + "_config", "configuration")
          : new ReloadStatus(spec.configReloadStem, spec.configReloadHelp, "Timestamp of the last successful configuration reload.");
      webReloadStatus = new ReloadStatus(spec.prefix + "_web_config", "web configuration");

      String webFile = flags.get("web.config.file");
      web = webFile.isEmpty() ? LiveWebConfig.none() : LiveWebConfig.load(Path.of(webFile));
      web.onReload(webReloadStatus::record);
      String telemetry = flags.get("web.telemetry-path");
      if (!telemetry.startsWith("/")) {
        throw new FlagException("flag --web.telemetry-path must start with '/', got '" + telemetry + "'");
      }
      int maxRequests = flags.integer("web.max-requests");
      if (maxRequests < 0) {
        throw new FlagException("flag --web.max-requests must be 0 (no limit) or more, got " + maxRequests);
      }
      WebServer.Limits limits;
      try {
        limits = WebServer.Limits.forHeap(flags.duration("web.read-header-timeout"));
      } catch (IllegalArgumentException e) {
        throw new FlagException("flag --web.read-header-timeout: " + e.getMessage());
      }
      ScrapeHandler scrapeHandler = new ScrapeHandler(registry, collectors);
      routes.put(telemetry, new InFlightLimit(scrapeHandler, maxRequests));
      links.put(telemetry, "Metrics");
      Context ctx = new Context() {
        @Override
        public Flags flags() {
          return flags;
        }

        @Override
        public String metricPrefix() {
          return spec.prefix;
        }

        @Override
        public PrometheusRegistry registry() {
          return registry;
        }

        @Override
        public void handle(String path, String description, HttpHandler handler) {
          routes.put(path, handler);
          if (description != null) {
            links.put(path, description);
          }
        }

        @Override
        public void onReload(Reloader r) {
          reloader = r;
        }

        @Override
        public void readiness(Supplier<String> notReady) {
          readiness = notReady;
        }

        @Override
        public void onClose(AutoCloseable resource) {
          resources.push(resource);
        }
      };
      for (Setup s : spec.setups) {
        s.setup(ctx);
      }
      if (reloader != null) {
        registry.register(reloadStatus);
      }
      if (web.fromFile()) {
        registry.register(webReloadStatus);
      }
      if (reloader != null || web.fromFile()) {
        routes.put("/-/reload", this::handleReload);
      }
      routes.put("/-/healthy", ex -> WebServer.respond(ex, 200, "OK\n"));
      Supplier<String> ready = readiness;
      routes.put("/-/ready", ex -> {
        String why = ready.get();
        WebServer.respond(ex, why == null ? 200 : 503, why == null ? "OK\n" : "Not ready: " + why + "\n");
      });
      routes.put("/", this::landing);
      String listen = flags.get("web.listen-address");
      try {
        // When the first request in is a plain scrape (no query), the collectors and the writer
        // run at once on another thread, on the core its basic-auth check (bcrypt, ~0.1 s at the
        // first start) leaves idle, and the scrape shares that render (ScrapeHandler.prime). Not
        // earlier: the TLS handshake before it needs both cores.
        server = WebServer.start(ListenAddress.parse(listen), web, routes, limits, (target, timeout) -> {
          if (telemetry.equals(target.getPath()) && target.getRawQuery() == null) {
            Thread.ofPlatform().daemon().name("first-render").start(() -> scrapeHandler.prime(timeout));
          }
        });
      } catch (IllegalArgumentException e) {
        throw new FlagException("flag --web.listen-address: " + e.getMessage());
      } catch (IOException e) {
        throw new IOException("cannot listen on " + listen + ": " + e.getMessage(), e);
      }
      Logging.log(LOG, Level.INFO, "listening", "address", listen, "port", server.port(),
          "tls", web.config().tlsServerConfig() != null, "version", build.version());
      // exporter-toolkit re-reads the web config per connection; a look at the files' stamps every
      // second gives the same effect (revoked users, renewed certificates) at no cost per request.
      webWatcher = !web.fromFile() ? null : Thread.ofVirtual().name("web-config-watch").start(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          try {
            Thread.sleep(1000);
          } catch (InterruptedException e) {
            return;
          }
          web.check();
        }
      });
    }

    public int port() {
      return server.port();
    }

    public PrometheusRegistry registry() {
      return registry;
    }

    /** Re-reads the web config and runs the reloader, as SIGHUP would; true when both took effect. */
    public boolean reload() {
      if (reloader == null && !web.fromFile()) {
        return false;
      }
      return reloadAll() == null;
    }

    /** Reloads the web config, then the exporter's config; the first error, or null. */
    private ConfigException reloadAll() {
      ConfigException failed = null;
      try {
        web.reload();
        if (web.fromFile()) {
          Logging.log(LOG, Level.INFO, "web config reloaded");
        }
      } catch (ConfigException e) {
        Logging.log(LOG, Level.SEVERE, "web config reload failed, keeping the previous one", "err", e.getMessage());
        failed = e;
      }
      if (reloader != null) {
        try {
          reloader.reload();
          reloadStatus.record(true);
          Logging.log(LOG, Level.INFO, "configuration reloaded");
        } catch (ConfigException e) {
          reloadStatus.record(false);
          Logging.log(LOG, Level.SEVERE, "reload failed, keeping the previous configuration", "err", e.getMessage());
          failed = failed == null ? e : failed;
        }
      }
      return failed;
    }

    void reloadAndLog() {
      reload();
    }

    private void handleReload(HttpExchange ex) throws IOException {
      if (!ex.getRequestMethod().equals("POST") && !ex.getRequestMethod().equals("PUT")) {
        ex.getResponseHeaders().set("Allow", "POST");
        WebServer.respond(ex, 405, "This endpoint requires a POST request.\n");
        return;
      }
      ConfigException failed = reloadAll();
      if (failed == null) {
        WebServer.respond(ex, 200, "OK\n");
      } else {
        WebServer.respond(ex, 500, "failed to reload config: " + failed.getMessage() + "\n");
      }
    }

    private void landing(HttpExchange ex) throws IOException {
      if (!ex.getRequestURI().getPath().equals("/")) {
        WebServer.respond(ex, 404, "404 page not found\n");
        return;
      }
      StringBuilder html = new StringBuilder("<html>\n<head><title>").append(spec.program)
          .append("</title></head>\n<body>\n<h1>").append(spec.program).append("</h1>\n<p>")
          .append(escape(spec.description)).append("</p>\n<ul>\n");
      for (Map.Entry<String, String> l : links.entrySet()) {
        html.append("<li><a href=\"").append(l.getKey()).append("\">").append(escape(l.getValue()))
            .append("</a></li>\n");
      }
      html.append("<li><a href=\"/-/healthy\">Health</a></li>\n<li><a href=\"/-/ready\">Readiness</a></li>\n");
      html.append("</ul>\n<p>version ").append(escape(BuildInfo.load().version())).append("</p>\n</body>\n</html>\n");
      byte[] body = html.toString().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    }

    private static String escape(String s) {
      return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    @Override
    public void close() {
      if (webWatcher != null) {
        webWatcher.interrupt();
      }
      server.close();
      closeAll(resources);
      collectors.close();
    }
  }
}
