package io.promsuite.exporter.blackbox;

import io.promsuite.exporter.blackbox.config.BlackboxConfig;
import io.promsuite.exporter.blackbox.prober.DnsProber;
import io.promsuite.exporter.blackbox.prober.GrpcProber;
import io.promsuite.exporter.blackbox.prober.HttpProber;
import io.promsuite.exporter.blackbox.prober.IcmpProber;
import io.promsuite.exporter.blackbox.prober.LazyProber;
import io.promsuite.exporter.blackbox.prober.Prober;
import io.promsuite.exporter.blackbox.prober.Resolver;
import io.promsuite.exporter.blackbox.prober.TargetRules;
import io.promsuite.exporter.blackbox.prober.TcpProber;
import io.promsuite.exporter.common.BuildInfo;
import io.promsuite.exporter.common.Exporter;
import io.promsuite.exporter.common.cli.FlagException;
import io.promsuite.exporter.common.log.Logging;
import io.promsuite.exporter.common.web.WebServer;
import java.nio.file.Path;
import java.security.Security;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/** blackbox-exporter's main: blackbox_exporter's flags, config and /probe on our framework (port 9115). */
public final class BlackboxExporter {
  private static final Logger LOG = Logger.getLogger(BlackboxExporter.class.getName());

  private BlackboxExporter() {}

  public static void main(String[] args) {
    // Like Go's resolver: no positive DNS cache, so probe_ip_addr_hash follows DNS changes at once.
    Security.setProperty("networkaddress.cache.ttl", "0");
    Security.setProperty("networkaddress.cache.negative.ttl", "0");
    Exporter.main("blackbox-exporter", BlackboxExporter::builder, args);
  }

  /** The exporter declaration; tests {@code start} it. */
  public static Exporter.Builder builder() {
    return Exporter.builder("blackbox-exporter", "blackbox")
        .defaultListenAddress(":9115")
        .description("Probes endpoints over HTTP, HTTPS, TCP, DNS and ICMP (blackbox_exporter compatible).")
        // blackbox_exporter's own names and HELP, which existing alerts use.
        .configReloadMetrics("blackbox_exporter", "Blackbox exporter config loaded successfully.")
        // The build's class-data training run probes the exporter itself with the shipped modules.
        .trainingPaths("/probe?module=http_2xx&target={base}/-/healthy", "/probe?module=tcp_connect&target=127.0.0.1:{port}")
        .flags(f -> f
            .string("config.file", "blackbox.yml", "Blackbox exporter configuration file.")
            .string("timeout-offset", "0.5", "Offset to subtract from timeout in seconds.")
            .repeatable("probe.allow", "Only probe targets matching these CIDRs or host patterns (*.example.com); "
                + "a name is looked up only when a pattern here matches it. Default: all.")
            .repeatable("probe.deny", "Never probe targets matching these CIDRs or host patterns; wins over --probe.allow.")
            .string("probe.max-concurrency", "0", "Most probes running at once; more get 503. 0 = unlimited."))
        .setup(BlackboxExporter::setup);
  }

  private static void setup(Exporter.Context ctx) throws Exception {
    var flags = ctx.flags();
    Path file = Path.of(flags.get("config.file"));
    ExporterMetrics metrics = new ExporterMetrics(ctx.registry());
    AtomicReference<BlackboxConfig> config = new AtomicReference<>();
    // In-flight probes keep the module they started with; new probes see the new config.
    Exporter.Reloader load = () -> config.set(BlackboxConfig.load(file));
    load.reload();
    Logging.log(LOG, Level.INFO, "Loaded config file", "file", file, "modules", config.get().modules().size());
    double offset;
    try {
      offset = Double.parseDouble(flags.get("timeout-offset"));
    } catch (NumberFormatException e) {
      throw new FlagException("flag --timeout-offset expects seconds (e.g. 0.5), got '" + flags.get("timeout-offset") + "'");
    }
    TargetRules rules;
    try {
      rules = TargetRules.parse(flags.list("probe.allow"), flags.list("probe.deny"));
    } catch (IllegalArgumentException e) {
      throw new FlagException(e.getMessage());
    }
    int maxConcurrency = flags.integer("probe.max-concurrency");
    if (maxConcurrency < 0) {
      throw new FlagException("flag --probe.max-concurrency must be 0 (unlimited) or more, got " + maxConcurrency);
    }
    Resolver resolver = new Resolver(rules);
    String version = BuildInfo.load().version();
    Map<String, Prober> probers = Map.of(
        "http", new LazyProber(() -> new HttpProber(resolver, version)),
        "tcp", new LazyProber(() -> new TcpProber(resolver)),
        "dns", new LazyProber(() -> new DnsProber(resolver)),
        "icmp", new LazyProber(() -> new IcmpProber(resolver)),
        "grpc", new LazyProber(() -> new GrpcProber(resolver)));
    ProbeHandler handler = new ProbeHandler(config::get, probers, offset, rules, maxConcurrency, metrics);
    ctx.onClose(handler::close);
    ctx.handle("/probe", "Probe (/probe?module=http_2xx&target=example.com)", handler);
    ctx.handle("/config", "Configuration", ex -> {
      ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      WebServer.respond(ex, 200, ConfigView.yaml(config.get()));
    });
    ctx.onReload(load);
  }
}
