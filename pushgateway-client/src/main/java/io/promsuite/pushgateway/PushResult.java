package io.promsuite.pushgateway;

/** What became of a push that did not throw. */
public enum PushResult {
  /** The gateway accepted it. */
  SENT,
  /** The gateway could not be reached within the retry deadline; it is safe on disk in the spool. */
  SPOOLED
}
