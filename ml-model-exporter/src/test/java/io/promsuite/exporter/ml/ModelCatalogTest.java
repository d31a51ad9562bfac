package io.promsuite.exporter.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.ManualScheduler;
import io.promsuite.exporter.common.testing.Poll;
import io.promsuite.exporter.ml.source.ModelReading;
import io.promsuite.exporter.ml.source.ModelSource;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {

  /** A source whose answer the test controls. */
  private static final class ScriptedSource implements ModelSource {
    final String name;
    volatile List<ModelReading> models;
    volatile boolean failing;
    final AtomicBoolean closed = new AtomicBoolean();

    ScriptedSource(String name, List<ModelReading> models) {
      this.name = name;
      this.models = models;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String type() {
      return "local";
    }

    @Override
    public List<ModelReading> read() throws IOException {
      if (failing) {
        throw new IOException("disk on fire");
      }
      return models;
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  private static ModelReading model(String name, String version, int errors) {
    return new ModelReading(name, version, "", 1, 0, 1, Double.NaN, Double.NaN, List.of(), errors);
  }

  private static List<String> names(ModelCatalog.Snapshot s) {
    List<String> out = new ArrayList<>();
    s.models().forEach(e -> out.add(e.source() + ":" + e.reading().model() + "@" + e.reading().version()));
    return out;
  }

  @Test
  void aFailingSourceKeepsItsLastModelsAndIsReportedDownWhileOthersRefresh() {
    ScriptedSource a = new ScriptedSource("a", List.of(model("fraud", "1", 0)));
    ScriptedSource b = new ScriptedSource("b", List.of(model("churn", "1", 0)));
    try (ModelCatalog c = new ModelCatalog(List.of(a, b), Duration.ofHours(1), Clock.systemUTC())) {
      c.refresh();
      a.failing = true;
      b.models = List.of(model("churn", "2", 0));
      c.refresh();
      ModelCatalog.Snapshot s = c.snapshot();
      assertEquals(List.of("a:fraud@1", "b:churn@2"), names(s));
      assertFalse(s.sources().get(0).up());
      assertEquals(1, s.sources().get(0).failures());
      assertTrue(s.sources().get(1).up());
    }
  }

  @Test
  void theFirstSourceWinsWhenTwoHoldTheSameModel() {
    ScriptedSource a = new ScriptedSource("a", List.of(model("fraud", "1", 0)));
    ScriptedSource b = new ScriptedSource("b", List.of(model("fraud", "9", 0), model("churn", "1", 0)));
    try (ModelCatalog c = new ModelCatalog(List.of(a, b), Duration.ofHours(1), Clock.systemUTC())) {
      c.refresh();
      assertEquals(List.of("a:fraud@1", "b:churn@1"), names(c.snapshot()));
    }
  }

  @Test
  void modelErrorsAccumulateAcrossRefreshes() {
    ScriptedSource a = new ScriptedSource("a", List.of(model("fraud", "1", 2), model("ok", "1", 0)));
    try (ModelCatalog c = new ModelCatalog(List.of(a), Duration.ofHours(1), Clock.systemUTC())) {
      c.refresh();
      c.refresh();
      assertEquals(List.of(new ModelCatalog.ErrorCount("a", "fraud", 4), new ModelCatalog.ErrorCount("a", "ok", 0)),
          c.snapshot().modelErrors());
    }
  }

  @Test
  void replacingSourcesDropsTheOldOnesAndClosesThem() throws Exception {
    ScriptedSource a = new ScriptedSource("a", List.of(model("fraud", "1", 0)));
    ScriptedSource b = new ScriptedSource("b", List.of(model("churn", "1", 0)));
    try (ModelCatalog c = new ModelCatalog(List.of(a), Duration.ofHours(1), Clock.systemUTC())) {
      c.refresh();
      c.replaceSources(List.of(b));
      c.refresh();
      assertEquals(List.of("b:churn@1"), names(c.snapshot()));
      assertTrue(a.closed.get());
      assertFalse(b.closed.get());
    }
    assertTrue(b.closed.get());
  }

  @Test
  void backgroundRefreshPublishesWithoutBeingAsked() throws Exception {
    ScriptedSource a = new ScriptedSource("a", List.of(model("fraud", "1", 0)));
    try (ModelCatalog c = new ModelCatalog(List.of(a), Duration.ofSeconds(1), Clock.systemUTC())) {
      c.start();
      Poll.until(Duration.ofSeconds(30), "the first refresh", () -> names(c.snapshot()), n -> !n.isEmpty());
      assertEquals(List.of("a:fraud@1"), names(c.snapshot()));
      a.models = List.of(model("fraud", "2", 0));
      Poll.until(Duration.ofSeconds(30), "fraud@2 picked up by the next interval", () -> names(c.snapshot()),
          n -> n.equals(List.of("a:fraud@2")));
    }
  }

  @Test
  void readyAfterTheFirstBackgroundRefreshAndAReloadRefreshesAtOnceNotAtTheNextInterval() {
    ManualScheduler clock = new ManualScheduler();
    ScriptedSource a = new ScriptedSource("a", List.of(model("fraud", "1", 0)));
    ScriptedSource b = new ScriptedSource("b", List.of(model("churn", "1", 0)));
    try (ModelCatalog c = new ModelCatalog(List.of(a), Duration.ofSeconds(60), Clock.systemUTC(), clock)) {
      c.start();
      assertFalse(c.refreshedOnce(), "not ready before the first read of the sources");
      clock.runDue();
      assertTrue(c.refreshedOnce());
      assertEquals(List.of("a:fraud@1"), names(c.snapshot()));
      clock.advance(Duration.ofSeconds(5));
      c.replaceSources(List.of(b));
      clock.runDue();
      assertEquals(List.of("b:churn@1"), names(c.snapshot()), "the reload's refresh ran at once");
      assertTrue(a.closed.get());
      assertEquals(Duration.ofSeconds(60), clock.nextIn(), "the next periodic refresh counts from the reload's");
    }
  }
}
