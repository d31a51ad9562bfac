package io.promsuite.exporter.common.collect;

/**
 * Thrown by a collector whose source is absent on this host (no bonding driver, no md arrays, no
 * NFS client): node_exporter's ErrNoData. The collector reports success 0, logged at debug only,
 * since it says nothing is wrong.
 */
public final class NoDataException extends Exception {
  public NoDataException(String what) {
    super(what, null, false, false);
  }
}
