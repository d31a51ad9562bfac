package io.promsuite.exporter.host;

import java.util.regex.Pattern;

/** node_exporter's device-include / device-exclude pair: include wins when given. */
record DeviceFilter(Pattern exclude, Pattern include) {
  boolean ignored(String device) {
    if (include != null) {
      return !include.matcher(device).find();
    }
    return exclude != null && exclude.matcher(device).find();
  }
}
