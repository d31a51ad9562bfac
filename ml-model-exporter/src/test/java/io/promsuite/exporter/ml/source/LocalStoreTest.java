package io.promsuite.exporter.ml.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LocalStore} on temporary trees. */
class LocalStoreTest {
  @TempDir
  Path root;

  private Path file(String rel, String content) throws Exception {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return p;
  }

  private Map<String, ModelReading> read() throws Exception {
    return S3StoreTest.byModel(new LocalStore("disk", root).read());
  }

  @Test
  void modelWithoutMetadataReportsSizeVersionsAndAgeFromFileTimes() throws Exception {
    file("resnet50/1/model.pt", "12345");
    file("resnet50/2/model.pt", "1234567");
    Path weights = file("resnet50/2/weights/part-0.bin", "123");
    Instant t = Instant.parse("2024-05-01T12:00:00Z");
    Files.setLastModifiedTime(root.resolve("resnet50/2/model.pt"), FileTime.from(t.minusSeconds(60)));
    Files.setLastModifiedTime(weights, FileTime.from(t));
    ModelReading m = read().get("resnet50");
    assertEquals("2", m.version());
    assertEquals(2, m.versions());
    assertEquals(10, m.sizeBytes(), "artifacts in sub-directories count too");
    assertEquals(t.getEpochSecond(), m.createdSeconds(), "the newest artifact's modification time");
    assertEquals("", m.stage());
    assertEquals(Double.NaN, m.datasetSize());
    assertEquals(List.of(), m.metrics());
    assertEquals(0, m.errors());
  }

  @Test
  void halfWrittenVersionIsSkippedUntilItHasAFinishedArtifact() throws Exception {
    file("bert/1.0.0/model.onnx", "done");
    file("bert/1.1.0/model.onnx.part", "still copy");
    file("bert/1.1.0/metadata.json", "{\"stage\": \"prod");
    file("bert/1.2.0/.model.onnx.tmp", "x");
    Files.createDirectories(root.resolve("bert/1.3.0"));
    ModelReading m = read().get("bert");
    assertEquals("1.0.0", m.version());
    assertEquals(1, m.versions());
    assertEquals(4, m.sizeBytes());
    assertEquals(0, m.errors(), "metadata of an unfinished version is not read yet");
  }

  @Test
  void brokenMetadataStillReportsWhatIsKnownWithAnError() throws Exception {
    file("fraud/7/model.bin", "0123456789");
    file("fraud/7/metadata.json", "{\"training_dataset\": {\"size\": 500, \"last_updated\": \"soon\"}");
    file("churn/3/model.bin", "abc");
    file("churn/3/metadata.yaml", "stage: production\ntraining_dataset: {size: 42, last_updated: 2024-04-01T00:00:00Z}\n");
    List<LogRecord> logged = new ArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        logged.add(r);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger logger = Logger.getLogger(LocalStore.class.getName());
    logger.addHandler(capture);
    Map<String, ModelReading> models;
    try {
      models = read();
    } finally {
      logger.removeHandler(capture);
    }
    LogRecord line = logged.stream().filter(r -> r.getMessage().equals("bad model metadata")).findFirst().orElseThrow();
    List<Object> fields = List.of(line.getParameters());
    assertEquals(root.resolve("fraud/7/metadata.json"), fields.get(fields.indexOf("key") + 1), "the log names the file");
    assertTrue(fields.get(fields.indexOf("err") + 1).toString().startsWith("not valid JSON at line 1"), fields.toString());
    ModelReading fraud = models.get("fraud");
    assertEquals(10, fraud.sizeBytes());
    assertEquals(1, fraud.errors());
    assertEquals(Double.NaN, fraud.datasetSize(), "the file is not valid JSON: nothing from it is trusted");
    ModelReading churn = models.get("churn");
    assertEquals(42, churn.datasetSize());
    assertEquals(1711929600, churn.datasetLastUpdatedSeconds());
    assertEquals("production", churn.stage());
  }

  @Test
  void metadataCanPinAnOlderServingVersion() throws Exception {
    file("ranker/1/model.bin", "a");
    file("ranker/2/model.bin", "bb");
    file("ranker/2/metadata.json", "{\"serving\": true, \"stage\": \"production\"}");
    file("ranker/3/model.bin", "ccc");
    file("ranker/3/metadata.json", "{\"stage\": \"canary\"}");
    ModelReading m = read().get("ranker");
    assertEquals("2", m.version());
    assertEquals("production", m.stage());
    assertEquals(3, m.versions());
  }

  @Test
  void unreadableOrMalformedPinKeepsTheLastGoodReading() throws Exception {
    file("ranker/1/model.bin", "a");
    Path meta = file("ranker/1/metadata.json", "{\"serving\": true, \"stage\": \"production\", "
        + "\"training_dataset\": {\"size\": 900}}");
    file("ranker/2/model.bin", "bb");
    LocalStore store = new LocalStore("disk", root);
    assertEquals("1", S3StoreTest.byModel(store.read()).get("ranker").version());

    Files.writeString(meta, "");
    ModelReading empty = S3StoreTest.byModel(store.read()).get("ranker");
    assertEquals("1", empty.version());
    assertEquals(900, empty.datasetSize());
    assertEquals(List.of("1"), empty.unreadableVersions());
    assertEquals(1, empty.errors());
    assertEquals(0, S3StoreTest.byModel(store.read()).get("ranker").errors(), "the same broken file: not counted again");

    // Readable again, but the pin is mistyped: the other fields are used, the last known pin holds.
    Files.writeString(meta, "{\"serving\": \"yes\", \"stage\": \"production\", \"training_dataset\": {\"size\": 1000}}");
    ModelReading typo = S3StoreTest.byModel(store.read()).get("ranker");
    assertEquals("1", typo.version());
    assertEquals(1000, typo.datasetSize());
    assertEquals(List.of(), typo.unreadableVersions());
    assertEquals(1, typo.errors());
  }

  @Test
  void nonUtf8NamesAreReadAndLabelledWithReplacementCharacters() throws Exception {
    file("plain/1/model.bin", "abc");
    // Create a directory whose name is the byte 0xFF followed by "model" (not valid UTF-8),
    // with a version directory and an artifact, as a tool writing Latin-1 names would.
    Process p = new ProcessBuilder("bash", "-c",
        "cd \"$1\" && mkdir -p $'\\xffmodel'/$'v\\xe91' && printf 12345 > $'\\xffmodel'/$'v\\xe91'/model.bin", "sh",
        root.toString()).inheritIO().start();
    assertEquals(0, p.waitFor());
    Map<String, ModelReading> models = read();
    assertEquals(2, models.size(), models.keySet().toString());
    ModelReading odd = models.entrySet().stream().filter(e -> !e.getKey().equals("plain")).findFirst().orElseThrow().getValue();
    assertTrue(odd.model().endsWith("model"), odd.model());
    assertFalse(odd.model().startsWith("model"), "the undecodable byte is replaced, not dropped");
    assertEquals(5, odd.sizeBytes());
    assertEquals(3, models.get("plain").sizeBytes());
  }

  @Test
  void missingRootFailsTheWholeSource() {
    LocalStore store = new LocalStore("disk", root.resolve("nope"));
    assertThrows(NoSuchFileException.class, store::read);
  }
}
