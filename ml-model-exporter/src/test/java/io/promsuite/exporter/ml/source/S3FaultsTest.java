package io.promsuite.exporter.ml.source;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.promsuite.exporter.ml.ModelCatalog;
import io.promsuite.exporter.ml.config.SourceConfig;
import io.promsuite.exporter.ml.config.SourceFactory;
import io.promsuite.exporter.ml.testing.RequestCounter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** How {@link S3Store} behaves when S3 misbehaves: throttling, denial, hangs, broken responses (WireMock). */
class S3FaultsTest {
  private static final String LISTING = """
      <?xml version="1.0" encoding="UTF-8"?>
      <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>models</Name><Prefix></Prefix>\
      <KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>\
      <Contents><Key>fraud/3/model.bin</Key><LastModified>2024-05-01T00:00:00.000Z</LastModified>\
      <ETag>&quot;0cc175b9c0f1b6a831c399e269772661&quot;</ETag><Size>42</Size><StorageClass>STANDARD</StorageClass></Contents>\
      </ListBucketResult>""";

  private WireMockServer wm;
  private final RequestCounter counter = new RequestCounter();

  @BeforeEach
  void start() {
    wm = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    wm.start();
  }

  @AfterEach
  void stop() {
    wm.stop();
  }

  private S3Store store(Duration timeout, int attempts) {
    SourceConfig c = new SourceConfig("faulty", "s3", null, "models", "", "us-east-1", "http://127.0.0.1:" + wm.port(), true,
        null, attempts, null, null, null, null, null, null, timeout);
    return new S3Store("faulty", new SourceFactory(List.of(counter)).s3Client(c), "models", "");
  }

  private static String error(String code, String message) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
        + "</Message><RequestId>r1</RequestId></Error>";
  }

  @Test
  void slowDownIsRetriedAndTheRefreshSucceeds() throws Exception {
    wm.stubFor(get(urlPathEqualTo("/models")).withQueryParam("list-type", equalTo("2"))
        .inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/xml")
            .withBody(error("SlowDown", "Please reduce your request rate.")))
        .willSetStateTo("recovered"));
    wm.stubFor(get(urlPathEqualTo("/models")).withQueryParam("list-type", equalTo("2"))
        .inScenario("throttle").whenScenarioStateIs("recovered")
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml").withBody(LISTING)));
    try (S3Store store = store(Duration.ofSeconds(10), 3)) {
      List<ModelReading> models = store.read();
      assertEquals(1, models.size());
      assertEquals(42, models.getFirst().sizeBytes());
      assertEquals(1, counter.calls("ListObjectsV2"));
      assertEquals(2, counter.attempts("ListObjectsV2"), "one 503 SlowDown, one retry");
    }
  }

  @Test
  void aNamedProfileSignsRequestsWithItsOwnKeys(@TempDir Path dir) throws Exception {
    Path credentials = dir.resolve("credentials");
    Files.writeString(credentials, "[ml-reader]\naws_access_key_id = AKIDPROFILEREADER\naws_secret_access_key = profile-secret\n");
    Files.writeString(dir.resolve("config"), "");
    wm.stubFor(get(urlPathEqualTo("/models")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/xml").withBody(LISTING)));
    System.setProperty("aws.sharedCredentialsFile", credentials.toString());
    System.setProperty("aws.configFile", dir.resolve("config").toString());
    try {
      SourceConfig c = new SourceConfig("faulty", "s3", null, "models", "", "eu-west-1", "http://127.0.0.1:" + wm.port(), true,
          "ml-reader", 1, null, null, null, null, null, null, Duration.ofSeconds(10));
      try (S3Store store = new S3Store("faulty", new SourceFactory(List.of()).s3Client(c), "models", "")) {
        assertEquals(1, store.read().size());
      }
    } finally {
      System.clearProperty("aws.sharedCredentialsFile");
      System.clearProperty("aws.configFile");
    }
    String auth = wm.getAllServeEvents().getFirst().getRequest().getHeader("Authorization");
    assertTrue(auth.startsWith("AWS4-HMAC-SHA256 Credential=AKIDPROFILEREADER/"), auth);
    assertTrue(auth.contains("/eu-west-1/s3/aws4_request"), auth);
  }

  @Test
  void accessDeniedFailsTheSourceWithoutRetrying() {
    wm.stubFor(get(urlPathEqualTo("/models")).willReturn(aResponse().withStatus(403)
        .withHeader("Content-Type", "application/xml").withBody(error("AccessDenied", "Access Denied"))));
    try (S3Store store = store(Duration.ofSeconds(10), 3)) {
      S3Exception e = assertThrows(S3Exception.class, store::read);
      assertEquals(403, e.statusCode());
      assertEquals("AccessDenied", e.awsErrorDetails().errorCode());
      assertEquals(1, counter.attempts("ListObjectsV2"), "403 is not retried");
    }
  }

  @Test
  void aHangingServerTimesOutEachAttempt() {
    wm.stubFor(get(urlPathEqualTo("/models")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/xml").withBody(LISTING).withFixedDelay(5_000)));
    try (S3Store store = store(Duration.ofMillis(400), 2)) {
      assertThrows(SdkClientException.class, store::read);
      assertEquals(2, counter.attempts("ListObjectsV2"), "each attempt times out, then gives up");
    }
  }

  @Test
  void truncatedXmlFailsOnlyThatSourceAndTheOtherModelsStayReported(@TempDir Path dir) throws Exception {
    wm.stubFor(get(urlPathEqualTo("/models")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/xml").withBody(LISTING.substring(0, LISTING.indexOf("<Size>") + 8))));
    Files.createDirectories(dir.resolve("churn/1"));
    Files.writeString(dir.resolve("churn/1/model.pkl"), "abc");
    try (ModelCatalog catalog = new ModelCatalog(List.of(store(Duration.ofSeconds(5), 2), new LocalStore("disk", dir)),
        Duration.ofHours(1), Clock.systemUTC())) {
      catalog.refresh();
      ModelCatalog.Snapshot snap = catalog.snapshot();
      assertEquals(List.of("churn"), snap.models().stream().map(e -> e.reading().model()).toList());
      ModelCatalog.SourceStatus s3 = snap.sources().stream().filter(s -> s.name().equals("faulty")).findFirst().orElseThrow();
      assertFalse(s3.up());
      assertEquals(1, s3.failures());
      assertTrue(snap.sources().stream().filter(s -> s.name().equals("disk")).findFirst().orElseThrow().up());
    }
  }
}
