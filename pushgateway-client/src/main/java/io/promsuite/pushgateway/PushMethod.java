package io.promsuite.pushgateway;

/** The three ways of changing a group on a Pushgateway. */
public enum PushMethod {
  /** {@code push}: replaces every metric of the group. */
  PUT,
  /** {@code pushAdd}: replaces only the metrics with the same names as the pushed ones. */
  POST,
  /** {@code delete}: removes the group. */
  DELETE;

  /** Whether this request makes every earlier request to the same group irrelevant. */
  boolean replacesGroup() {
    return this != POST;
  }
}
