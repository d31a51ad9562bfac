package io.promsuite.exporter.ml.source;

import io.promsuite.exporter.common.log.Logging;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a store remembers of each model version's metadata between refreshes: the last good
 * reading, used while a later read fails (a truncated or half-written file, a failed download), so
 * a pin ({@code serving: true}), the evaluation results and the dataset facts never vanish because
 * of a read error; and which failures were already reported, so a file that stays broken is logged
 * and counted once per change of the file, not at every refresh. Used by one source's
 * {@code read()}, which never runs concurrently with itself.
 */
final class MetadataHistory {
  private final String source;
  private final Logger log;
  private Map<String, State> states = new HashMap<>();
  private Map<String, State> next = new HashMap<>();

  private static final class State {
    /** The last reading that was not unreadable, or null. */
    Metadata good;
    /** The stamp (file identity, ETag) whose problems were logged and counted, or null when none are. */
    String reported;
  }

  /**
   * One version's metadata with the history applied.
   *
   * @param metadata what to use: the fresh reading, or the last good one when the fresh one is unreadable
   * @param unreadable the fresh reading could not be used at all
   * @param newProblems problems not reported before (0 while the same broken file stays)
   */
  record Settled(Metadata metadata, boolean unreadable, int newProblems) {}

  /** @param log the source's own logger, so its lines name the source class */
  MetadataHistory(String source, Logger log) {
    this.source = source;
    this.log = log;
  }

  /** Starts a refresh: versions not settled before {@link #endRefresh()} are forgotten. */
  void beginRefresh() {
    next = new HashMap<>();
  }

  /** Ends a refresh that read the whole store. */
  void endRefresh() {
    states = next;
  }

  /**
   * @param key where the metadata is (a path, an s3:// URL), for the log
   * @param stamp what identifies this content of the file (size and modification time, an ETag)
   */
  Settled settle(String model, String version, Object key, String stamp, Metadata fresh) {
    String id = model + "\u0000" + version;
    State st = states.getOrDefault(id, new State());
    next.put(id, st);
    if (fresh.problems().isEmpty()) {
      if (st.reported != null) {
        Logging.log(log, Level.INFO, "model metadata readable again", "source", source, "model", model,
            "version", version, "key", key);
      }
      st.good = fresh;
      st.reported = null;
      return new Settled(fresh, false, 0);
    }
    Metadata use;
    if (fresh.unreadable()) {
      use = st.good != null ? st.good : fresh;
    } else {
      // Readable with bad fields: its good fields are used; a malformed pin keeps the last known one.
      use = fresh.servingMalformed() && st.good != null ? fresh.withServing(st.good.serving()) : fresh;
      st.good = use;
    }
    int newProblems = 0;
    if (!stamp.equals(st.reported)) {
      st.reported = stamp;
      newProblems = fresh.problems().size();
      for (String problem : fresh.problems()) {
        if (fresh.unreadable()) {
          Logging.log(log, Level.WARNING, "bad model metadata", "source", source, "model", model, "version", version,
              "key", key, "err", problem, "using",
              use == fresh ? "nothing from it (no good reading since start)" : "its last good reading");
        } else {
          Logging.log(log, Level.WARNING, "bad model metadata", "source", source, "model", model, "version", version,
              "key", key, "err", problem);
        }
      }
    }
    return new Settled(use, fresh.unreadable(), newProblems);
  }
}
