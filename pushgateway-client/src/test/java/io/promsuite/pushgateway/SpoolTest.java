package io.promsuite.pushgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

  @TempDir Path dir;

  private static PushRequest req(PushMethod m, String job, String body) {
    return new PushRequest(m, GroupingKey.of(job).path(), "text/plain", body.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> bodies(List<Spool.Entry> entries) {
    return entries.stream().map(e -> e.request().method() + " " + e.request().path() + " "
        + new String(e.request().body(), StandardCharsets.UTF_8)).toList();
  }

  @Test
  void entriesComeBackInOrderFromAFreshlyOpenedSpool() throws Exception {
    Spool spool = new Spool(dir, 1 << 20);
    try (Spool.Locked l = spool.lock()) {
      spool.append(req(PushMethod.POST, "a", "a 1\n"));
      spool.append(req(PushMethod.POST, "b", "b 2\n"));
      spool.append(req(PushMethod.POST, "a", "a 3\n"));
    }
    Spool reopened = new Spool(dir, 1 << 20);
    try (Spool.Locked l = reopened.lock()) {
      assertEquals(List.of("POST /metrics/job/a a 1\n", "POST /metrics/job/b b 2\n", "POST /metrics/job/a a 3\n"),
          bodies(reopened.entries()));
    }
  }

  @Test
  void aPutOrDeleteSupersedesEarlierEntriesOfItsGroupOnly() throws Exception {
    Spool spool = new Spool(dir, 1 << 20);
    try (Spool.Locked l = spool.lock()) {
      spool.append(req(PushMethod.PUT, "a", "a 1\n"));
      spool.append(req(PushMethod.POST, "a", "a 2\n"));
      spool.append(req(PushMethod.PUT, "b", "b 1\n"));
      assertEquals(2, spool.append(req(PushMethod.PUT, "a", "a 3\n")), "entries left after coalescing");
      assertEquals(List.of("PUT /metrics/job/b b 1\n", "PUT /metrics/job/a a 3\n"), bodies(spool.entries()));
      spool.append(req(PushMethod.POST, "b", "b 2\n"));
      spool.append(req(PushMethod.DELETE, "a", ""));
      assertEquals(List.of("PUT /metrics/job/b b 1\n", "POST /metrics/job/b b 2\n", "DELETE /metrics/job/a "),
          bodies(spool.entries()));
    }
    try (var files = Files.list(dir)) {
      assertEquals(3, files.filter(f -> f.toString().endsWith(".push")).count(), "superseded files are deleted");
    }
  }

  @Test
  void aCrashBeforeTheRenameLeavesNothingAndACrashAfterItLosesNothing() throws Exception {
    Spool spool = new Spool(dir, 1 << 20);
    try (Spool.Locked l = spool.lock()) {
      spool.append(req(PushMethod.PUT, "a", "a 1\n"));
      spool.append(req(PushMethod.PUT, "b", "b 1\n"));
    }
    // A crash while writing: the temporary file was never renamed, never acknowledged.
    Files.writeString(dir.resolve("00000000000000000003.part"), "half a wri");
    // A crash after the rename of a newer PUT to group a, before the older entry was deleted.
    Path older = dir.resolve("00000000000000000001.push");
    byte[] olderBytes = Files.readAllBytes(older);
    Files.write(dir.resolve("00000000000000000004.push"),
        new String(olderBytes, StandardCharsets.UTF_8).replace("a 1\n", "a 9\n").getBytes(StandardCharsets.UTF_8));

    Spool reopened = new Spool(dir, 1 << 20);
    assertFalse(Files.exists(dir.resolve("00000000000000000003.part")));
    try (Spool.Locked l = reopened.lock()) {
      assertEquals(List.of("PUT /metrics/job/b b 1\n", "PUT /metrics/job/a a 9\n"), bodies(reopened.entries()));
      assertFalse(Files.exists(older), "the superseded entry is cleaned up when read");
    }
  }

  @Test
  void theSizeBoundRefusesWithAClearMessageAndKeepsWhatIsThere() throws Exception {
    Spool spool = new Spool(dir, 300);
    try (Spool.Locked l = spool.lock()) {
      spool.append(req(PushMethod.POST, "a", "x".repeat(100)));
      SpoolFullException e = assertThrows(SpoolFullException.class,
          () -> spool.append(req(PushMethod.POST, "b", "y".repeat(200))));
      assertTrue(e.getMessage().contains("past its bound of 300 bytes"), e.getMessage());
      assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
      assertEquals(1, spool.entries().size());
      // A PUT that replaces the big entry fits, because the replaced entry goes away.
      spool.append(req(PushMethod.PUT, "a", "z".repeat(150)));
      assertEquals(1, spool.entries().size());
    }
  }

  @Test
  void aDamagedEntryIsSetAsideWithoutBlockingTheOthers() throws Exception {
    Spool spool = new Spool(dir, 1 << 20);
    try (Spool.Locked l = spool.lock()) {
      spool.append(req(PushMethod.POST, "a", "a 1\n"));
      spool.append(req(PushMethod.POST, "b", "b 1\n"));
    }
    Files.writeString(dir.resolve("00000000000000000001.push"), "garbage from a bad disk");
    try (Spool.Locked l = spool.lock()) {
      assertEquals(List.of("POST /metrics/job/b b 1\n"), bodies(spool.entries()));
      List<String> unreadable = spool.takeUnreadable();
      assertEquals(1, unreadable.size());
      assertTrue(unreadable.getFirst().contains("00000000000000000001.push is not a promsuite-pushgateway-spool 1 file"),
          unreadable.getFirst());
      assertTrue(Files.exists(dir.resolve("rejected").resolve("00000000000000000001.push")));
      assertEquals(List.of(), spool.takeUnreadable());
    }
  }
}
