package io.promsuite.exporter.ml.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.ml.config.SourceConfig;
import io.promsuite.exporter.ml.config.SourceFactory;
import io.promsuite.exporter.ml.testing.Parallel;
import io.promsuite.exporter.ml.testing.RequestCounter;
import io.promsuite.exporter.ml.testing.S3MockServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * {@link S3Store} against a real S3-compatible server (Adobe S3Mock in its own JVM) through the real
 * AWS SDK with the settings production uses: endpoint override, path-style, standard retries.
 */
class S3StoreTest {
  private static final int MODELS = 220;
  private static final int VERSIONS = 5;

  @TempDir
  static Path work;
  private static S3MockServer server;
  private static final RequestCounter counter = new RequestCounter();
  private static S3Client s3;

  @BeforeAll
  static void startServerAndUpload() throws Exception {
    server = S3MockServer.start(work, "models", "other");
    s3 = new SourceFactory(List.of(counter)).s3Client(config("models", "team-a"));
    // 220 models x 5 versions = 1,100 artifacts, plus a metadata.json on each newest version:
    // 1,320 objects, so listing takes two pages of 1,000.
    Parallel.forEach(MODELS * VERSIONS, 8, i -> {
      int model = i / VERSIONS;
      int version = i % VERSIONS + 1;
      put("team-a/" + name(model) + "/" + version + "/model.bin", "x".repeat(model + version));
      if (version == VERSIONS) {
        put("team-a/" + name(model) + "/" + version + "/metadata.json", metadata(model));
      }
    });
  }

  @AfterAll
  static void stop() {
    if (s3 != null) {
      s3.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static String name(int model) {
    return String.format("model-%03d", model);
  }

  private static String metadata(int model) {
    return "{\"stage\": \"production\", \"training_dataset\": {\"size\": " + (1000 + model)
        + ", \"last_updated\": \"2024-05-01T00:00:00Z\"}, \"evaluation\": {\"validation\": {\"accuracy\": 0.9, \"f1\": 0.8}}}";
  }

  private static void put(String key, String body) {
    s3.putObject(PutObjectRequest.builder().bucket("models").key(key).build(), RequestBody.fromString(body));
  }

  static SourceConfig config(String bucket, String prefix) {
    return new SourceConfig("s3test", "s3", null, bucket, prefix, "us-east-1", server.endpoint(), true, null, 3,
        null, null, null, null, null, null, Duration.ofSeconds(20));
  }

  @Test
  void listsEveryModelAcrossPagesAndThenSendsOnlyListingsWhenNothingChanged() throws Exception {
    try (S3Store store = new S3Store("s3test", new SourceFactory(List.of(counter)).s3Client(config("models", "team-a")),
        "models", "team-a")) {
      counter.reset();
      Map<String, ModelReading> first = byModel(store.read());
      assertEquals(MODELS, first.size());
      assertEquals(2, counter.calls("ListObjectsV2"), "1,320 objects are two pages of 1,000");
      assertEquals(MODELS, counter.calls("GetObject"), "first refresh reads every metadata object once");

      ModelReading m42 = first.get("model-042");
      assertEquals("5", m42.version());
      assertEquals(VERSIONS, m42.versions());
      assertEquals(42 + 5, m42.sizeBytes());
      assertEquals(1042, m42.datasetSize());
      assertEquals(1714521600, m42.datasetLastUpdatedSeconds());
      assertEquals("production", m42.stage());
      assertEquals(List.of(new EvalMetric("validation", "accuracy", 0.9), new EvalMetric("validation", "f1", 0.8)),
          m42.metrics());
      assertTrue(Math.abs(m42.createdSeconds() - System.currentTimeMillis() / 1000.0) < 3600,
          "without metadata.created the age comes from the object's LastModified");

      counter.reset();
      Map<String, ModelReading> second = byModel(store.read());
      assertEquals(2, counter.calls("ListObjectsV2"));
      assertEquals(0, counter.calls("GetObject"), "unchanged ETags: no GetObject");
      assertEquals(0, counter.calls("HeadObject"));
      assertEquals(first, second);

      // One metadata object changes: exactly one GetObject, and the new value shows.
      put("team-a/model-007/5/metadata.json", "{\"stage\": \"staging\", \"serving\": false}");
      counter.reset();
      Map<String, ModelReading> third = byModel(store.read());
      assertEquals(1, counter.calls("GetObject"));
      assertEquals("4", third.get("model-007").version(), "serving: false on v5 makes v4 serve");
      assertEquals(Double.NaN, third.get("model-007").datasetSize());
      put("team-a/model-007/5/metadata.json", metadata(7));
    }
  }

  @Test
  void malformedMetadataObjectStillReportsTheModelWithAnError() throws Exception {
    S3Client client = new SourceFactory(List.of()).s3Client(config("other", ""));
    client.putObject(PutObjectRequest.builder().bucket("other").key("fraud/2024.01.0/model.onnx").build(),
        RequestBody.fromString("0123456789"));
    client.putObject(PutObjectRequest.builder().bucket("other").key("fraud/2024.01.0/metadata.yaml").build(),
        RequestBody.fromString("stage: production\ntraining_dataset: {size: [oops\n"));
    client.putObject(PutObjectRequest.builder().bucket("other").key("churn/1.2.0/model.pkl").build(),
        RequestBody.fromString("abc"));
    client.putObject(PutObjectRequest.builder().bucket("other").key("churn/1.10.0/model.pkl").build(),
        RequestBody.fromString("abcdef"));
    client.putObject(PutObjectRequest.builder().bucket("other").key("churn/1.10.0/metadata.json").build(),
        RequestBody.fromString("{\"evaluation\": {\"test\": {\"accuracy\": \"high\", \"auc\": 0.7}}}"));
    try (S3Store store = new S3Store("other", client, "other", "")) {
      Map<String, ModelReading> models = byModel(store.read());
      ModelReading fraud = models.get("fraud");
      assertEquals(10, fraud.sizeBytes(), "size is known from the listing even though metadata is broken");
      assertEquals(1, fraud.errors());
      ModelReading churn = models.get("churn");
      assertEquals("1.10.0", churn.version(), "semver order: 1.10.0 is newer than 1.2.0");
      assertEquals(2, churn.versions());
      assertEquals(1, churn.errors(), "accuracy \"high\" is a problem");
      assertEquals(List.of(new EvalMetric("test", "auc", 0.7)), churn.metrics(), "the good metric is kept");
    }
  }

  @Test
  void truncatedMetadataOfThePinnedVersionKeepsItsLastGoodReadingAndIsCountedOnce() throws Exception {
    S3Client client = new SourceFactory(List.of()).s3Client(config("models", "team-b"));
    String pinned = "{\"serving\": true, \"stage\": \"production\", \"created\": \"2023-01-01T00:00:00Z\","
        + " \"evaluation\": {\"validation\": {\"accuracy\": 0.91}}}";
    client.putObject(PutObjectRequest.builder().bucket("models").key("team-b/ranker/1/model.bin").build(), RequestBody.fromString("a"));
    client.putObject(PutObjectRequest.builder().bucket("models").key("team-b/ranker/1/metadata.json").build(),
        RequestBody.fromString(pinned));
    client.putObject(PutObjectRequest.builder().bucket("models").key("team-b/ranker/2/model.bin").build(), RequestBody.fromString("bb"));
    try (S3Store store = new S3Store("s3test", client, "models", "team-b")) {
      ModelReading good = byModel(store.read()).get("ranker");
      assertEquals("1", good.version());
      client.putObject(PutObjectRequest.builder().bucket("models").key("team-b/ranker/1/metadata.json").build(),
          RequestBody.fromString(pinned.substring(0, pinned.length() / 2)));
      for (int refresh = 0; refresh < 3; refresh++) {
        ModelReading ranker = byModel(store.read()).get("ranker");
        assertEquals("1", ranker.version(), "the pin holds");
        assertEquals("production", ranker.stage());
        assertEquals(good.createdSeconds(), ranker.createdSeconds());
        assertEquals(good.metrics(), ranker.metrics());
        assertEquals(List.of("1"), ranker.unreadableVersions());
        assertEquals(refresh == 0 ? 1 : 0, ranker.errors(), "one broken object is counted once");
      }
    }
  }

  static Map<String, ModelReading> byModel(List<ModelReading> readings) {
    return readings.stream().collect(Collectors.toMap(ModelReading::model, Function.identity()));
  }
}
