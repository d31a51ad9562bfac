package io.promsuite.pushgateway;

/** The body format of pushed metrics, named as client_java's pushgateway {@code Format}. */
public enum Format {
  /** Delimited protobuf, the gateway's most compact input (the default). */
  PROMETHEUS_PROTOBUF,
  /** Text format 0.0.4. */
  PROMETHEUS_TEXT
}
