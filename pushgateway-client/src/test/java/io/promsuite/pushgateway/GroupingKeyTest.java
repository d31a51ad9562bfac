package io.promsuite.pushgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupingKeyTest {

  @Test
  void labelsAreSortedSoOneGroupHasOnePath() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("zone", "eu");
    a.put("instance", "run-1");
    assertEquals("/metrics/job/etl/instance/run-1/zone/eu", GroupingKey.of("etl", a).path());
    assertEquals(GroupingKey.of("etl", Map.of("instance", "run-1", "zone", "eu")), GroupingKey.of("etl", a));
  }

  @Test
  void valuesWithSlashOrEmptyUseTheBase64Form() {
    assertEquals("/metrics/job/etl/path@base64/L3Zhci90bXA=", GroupingKey.of("etl", Map.of("path", "/var/tmp")).path());
    assertEquals("/metrics/job/etl/empty@base64/=", GroupingKey.of("etl", Map.of("empty", "")).path());
    assertEquals("/metrics/job@base64/YS9i", GroupingKey.of("a/b").path());
  }

  @Test
  void otherValuesArePercentEncodedUtf8() {
    assertEquals("/metrics/job/etl/city/Z%C3%BCrich%20x%2By", GroupingKey.of("etl", Map.of("city", "Zürich x+y")).path());
  }

  @Test
  void badLabelNamesAndJobAreRefusedWithTheName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GroupingKey.of("etl", Map.of("1bad", "x")));
    assertTrue(e.getMessage().contains("'1bad'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> GroupingKey.of("etl", Map.of("job", "x")));
    assertThrows(IllegalArgumentException.class, () -> GroupingKey.of(""));
  }
}
