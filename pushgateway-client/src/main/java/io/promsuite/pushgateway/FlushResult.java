package io.promsuite.pushgateway;

import java.util.List;

/**
 * What a flush of the spool achieved.
 *
 * @param delivered entries the gateway accepted (and that were removed from the spool)
 * @param rejected one message per entry the gateway refused; each was moved to {@code rejected/}
 * @param remaining entries still waiting because the gateway could not be reached
 * @param unavailable why delivery stopped, or null when nothing remains
 */
public record FlushResult(int delivered, List<String> rejected, int remaining, String unavailable) {

  public FlushResult {
    rejected = List.copyOf(rejected);
  }
}
