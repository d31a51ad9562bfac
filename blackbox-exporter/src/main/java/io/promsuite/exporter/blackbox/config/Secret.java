package io.promsuite.exporter.blackbox.config;

import com.fasterxml.jackson.annotation.JsonCreator;

/** A password or token from the config: usable by probers, shown as {@code <secret>} everywhere else. */
public record Secret(String value) {
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public Secret {
    value = value == null ? "" : value;
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public String toString() {
    return "<secret>";
  }
}
