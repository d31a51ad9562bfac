package io.promsuite.exporter.blackbox.prober;

import io.promsuite.exporter.blackbox.config.Module;

/**
 * One kind of probe (http, tcp, dns, icmp): runs against {@code target} until {@code deadline},
 * writes its own metrics to {@code sink}, explains itself in {@code log}, and says whether the
 * target is healthy. probe_success and probe_duration_seconds are the handler's.
 */
@FunctionalInterface
public interface Prober {
  boolean probe(Deadline deadline, String target, Module module, ProbeSink sink, ProbeLog log)
      throws InterruptedException;
}
