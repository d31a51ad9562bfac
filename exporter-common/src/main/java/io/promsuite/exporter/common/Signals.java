package io.promsuite.exporter.common;

import sun.misc.Signal;

/**
 * SIGHUP to reload, as the Go exporters do, and SIGTERM/SIGINT to stop; the JDK only exposes them
 * through sun.misc.Signal.
 */
final class Signals {
  private Signals() {}

  static void onHangup(Runnable action) {
    try {
      Signal.handle(new Signal("HUP"), s -> Thread.ofVirtual().start(action));
    } catch (IllegalArgumentException e) {
      // Not on this platform (or the JVM reserves it with -Xrs): POST /-/reload still works.
    }
  }

  /**
   * Runs {@code action} on SIGTERM and SIGINT, then exits with status 0 (a stop asked for is a
   * clean stop, for systemd as for a shell). Runs before any shutdown hook, so nothing it logs can
   * race JUL's own hook, which resets the logging configuration.
   */
  static void onTerminate(Runnable action) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(name), s -> {
          action.run();
          System.exit(0);
        });
      } catch (IllegalArgumentException e) {
        // Reserved (-Xrs): the JVM's default handling and the shutdown hook still stop us.
      }
    }
  }
}
