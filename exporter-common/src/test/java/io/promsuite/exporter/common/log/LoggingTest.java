package io.promsuite.exporter.common.log;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The log line format, and lines logged after JUL's shutdown hook has reset the LogManager. */
class LoggingTest {
  private static final Logger LOG = Logger.getLogger(LoggingTest.class.getName());

  @Test
  void linesLoggedAfterTheLogManagerResetStillReachStderrAtTheConfiguredLevel() {
    PrintStream saved = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      Logging.configure("info", "logfmt");
      Logging.log(LOG, Level.INFO, "before reset", "k", "v w");
      // What LogManager's shutdown hook does, possibly before the exporter's own hook logs.
      LogManager.getLogManager().reset();
      Logging.log(LOG, Level.INFO, "shutting down");
      Logging.log(LOG, Level.FINE, "not at info");
      String out = captured.toString(StandardCharsets.UTF_8);
      assertTrue(out.contains("level=info") && out.contains("msg=\"before reset\" k=\"v w\""), out);
      assertTrue(out.contains("msg=\"shutting down\""), out);
      assertFalse(out.contains("not at info"), out);
    } finally {
      System.setErr(saved);
      Logging.configure("info", "logfmt");
    }
  }
}
