package io.promsuite.exporter.blackbox;

import io.promsuite.exporter.blackbox.config.BlackboxConfig;
import io.promsuite.exporter.blackbox.prober.Deadline;
import io.promsuite.exporter.blackbox.prober.IcmpProber;
import io.promsuite.exporter.blackbox.prober.ProbeLog;
import io.promsuite.exporter.blackbox.prober.ProbeSink;
import io.promsuite.exporter.blackbox.prober.Resolver;
import io.promsuite.exporter.blackbox.prober.TargetRules;
import java.nio.file.Path;
import java.time.Duration;

/** Runs one ICMP probe in a separate JVM, so a test can run it with fewer privileges or in a network namespace. */
public final class IcmpProbeMain {
  private IcmpProbeMain() {}

  public static void main(String[] args) throws Exception {
    var module = BlackboxConfig.parse(Path.of("inline"), "modules: {icmp: {prober: icmp, icmp: {preferred_ip_protocol: ip4}}}")
        .modules().get("icmp");
    ProbeSink sink = new ProbeSink();
    ProbeLog log = new ProbeLog("icmp", args[0]);
    boolean ok = new IcmpProber(new Resolver(TargetRules.OPEN)).probe(Deadline.after(Duration.ofSeconds(5)), args[0],
        module, sink, log);
    System.out.print(log.text());
    System.out.println("success=" + ok + " hop_limit=" + sink.value("probe_icmp_reply_hop_limit"));
  }
}
