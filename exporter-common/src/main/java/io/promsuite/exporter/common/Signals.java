package io.promsuite.exporter.common;

import sun.misc.Signal;

/** SIGHUP to reload, as the Go exporters do; the JDK only exposes it through sun.misc.Signal. */
final class Signals {
  private Signals() {}

  static void onHangup(Runnable action) {
    try {
      Signal.handle(new Signal("HUP"), s -> Thread.ofVirtual().start(action));
    } catch (IllegalArgumentException e) {
      // Not on this platform (or the JVM reserves it with -Xrs): POST /-/reload still works.
    }
  }
}
