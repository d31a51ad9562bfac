package io.promsuite.exporter.container;

import io.promsuite.exporter.common.Exporter;
import io.promsuite.exporter.common.testing.Ports;
import java.util.ArrayList;
import java.util.List;

/** A container-exporter started in the test JVM on a free loopback port; closes its catalog too. */
final class ExporterProcess implements AutoCloseable {
  final ContainerExporter app = new ContainerExporter();
  final Exporter.Running running;
  final int port;

  ExporterProcess(String... args) throws Exception {
    port = Ports.free();
    List<String> a = new ArrayList<>(List.of("--web.listen-address=127.0.0.1:" + port));
    a.addAll(List.of(args));
    Exporter.Running r;
    try {
      r = app.builder().start(a.toArray(String[]::new));
    } catch (Exception e) {
      app.close();
      throw e;
    }
    running = r;
  }

  @Override
  public void close() throws java.io.IOException {
    try {
      running.close();
    } finally {
      app.close();
    }
  }
}
