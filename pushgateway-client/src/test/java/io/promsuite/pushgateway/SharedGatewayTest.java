package io.promsuite.pushgateway;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Base for test classes whose tests share one real gateway (each test uses its own groups). */
public abstract class SharedGatewayTest {

  @TempDir protected static Path dir;
  protected static RealPushgateway gateway;

  @BeforeAll
  static void startGateway() throws Exception {
    gateway = RealPushgateway.start(dir.resolve("gw"));
  }

  @AfterAll
  static void stopGateway() throws Exception {
    if (gateway != null) {
      gateway.close();
      gateway = null;
    }
  }
}
