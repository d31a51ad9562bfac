package io.promsuite.exporter.blackbox.prober;

import io.promsuite.exporter.blackbox.config.Module;
import java.util.function.Supplier;

/**
 * A prober made on its first probe: a config without http or grpc modules never loads OkHttp,
 * Kotlin's standard library and okio (each loaded class stays in memory for the life of the JVM).
 */
public final class LazyProber implements Prober {
  private final Supplier<? extends Prober> make;
  private volatile Prober prober;

  public LazyProber(Supplier<? extends Prober> make) {
    this.make = make;
  }

  @Override
  public boolean probe(Deadline deadline, String target, Module module, ProbeSink sink, ProbeLog log)
      throws InterruptedException {
    Prober p = prober;
    if (p == null) {
      synchronized (this) {
        p = prober;
        if (p == null) {
          p = make.get();
          prober = p;
        }
      }
    }
    return p.probe(deadline, target, module, sink, log);
  }
}
