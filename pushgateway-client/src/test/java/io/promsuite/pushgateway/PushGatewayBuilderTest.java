package io.promsuite.pushgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.config.PrometheusPropertiesException;
import io.prometheus.metrics.config.PrometheusPropertiesLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which of property, builder and default wins, and how bad addresses are reported. */
class PushGatewayBuilderTest {

  private static PrometheusProperties properties(String... keyValues) {
    Map<Object, Object> m = new java.util.HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put("io.prometheus.exporter.pushgateway." + keyValues[i], keyValues[i + 1]);
    }
    return PrometheusPropertiesLoader.load(m);
  }

  @Test
  void theJobPropertyBeatsTheBuilderWhichBeatsTheDefault() {
    try (PushGateway g = PushGateway.builder(properties("job", "from_property")).job("from_builder")
        .groupingKey("b", "2").groupingKey("a", "1").build()) {
      assertEquals(GroupingKey.of("from_property", Map.of("a", "1", "b", "2")), g.groupingKey());
    }
    try (PushGateway g = PushGateway.builder(properties()).job("from_builder").build()) {
      assertEquals("from_builder", g.groupingKey().job());
    }
    try (PushGateway g = PushGateway.builder(properties()).build()) {
      assertEquals(DefaultJobName.detect(), g.groupingKey().job());
    }
  }

  @Test
  void aBadAddressNamesWhereItCameFrom() {
    PrometheusPropertiesException p = assertThrows(PrometheusPropertiesException.class,
        () -> PushGateway.builder(properties("address", "gateway:port")).address("localhost:9091").build());
    assertTrue(p.getMessage().startsWith("property io.prometheus.exporter.pushgateway.address 'gateway:port' is not an address"),
        p.getMessage());
    IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
        () -> PushGateway.builder(properties()).address("http://gateway:9091").build());
    assertTrue(b.getMessage().startsWith("address 'http://gateway:9091' is not an address"), b.getMessage());
  }

  @Test
  void anUnknownSchemePropertyIsRefusedByTheLoaderAsInClientJava() {
    assertThrows(PrometheusPropertiesException.class, () -> properties("scheme", "ftp"));
  }

  @Test
  void aGatewayStringIsAUrlOrHostAndPort() {
    assertEquals("https://gw:9091/prefix", GatewayAddress.parse("https://gw:9091/prefix", Scheme.HTTP).base("gateway").toString());
    assertEquals("http://gw:9091", GatewayAddress.parse("gw:9091", Scheme.HTTP).base("gateway").toString());
    assertEquals("https://[::1]:9091", GatewayAddress.parse("[::1]:9091", Scheme.HTTPS).base("gateway").toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PushGateway.builder("user@gw:9091"));
    assertTrue(e.getMessage().contains("is not an address"), e.getMessage());
  }
}
