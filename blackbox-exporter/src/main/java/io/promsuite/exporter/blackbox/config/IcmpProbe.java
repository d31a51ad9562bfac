package io.promsuite.exporter.blackbox.config;

/** The {@code icmp:} section: one echo request with payload size, TTL and don't-fragment. */
public record IcmpProbe(String preferredIpProtocol, Boolean ipProtocolFallback, String sourceIpAddress,
    Integer payloadSize, Boolean dontFragment, Integer ttl) {
  public static final IcmpProbe DEFAULT = new IcmpProbe(null, null, null, null, null, null);

  public IcmpProbe {
    preferredIpProtocol = IpProtocol.check(preferredIpProtocol);
    ipProtocolFallback = ipProtocolFallback == null || ipProtocolFallback;
    sourceIpAddress = SourceAddress.check(sourceIpAddress);
    payloadSize = payloadSize == null ? 0 : payloadSize;
    if (payloadSize < 0 || payloadSize > 65000) {
      throw new IllegalArgumentException("\"payload_size\" must be between 0 and 65000, got " + payloadSize);
    }
    dontFragment = dontFragment != null && dontFragment;
    ttl = ttl == null ? 64 : ttl;
    if (ttl < 0) {
      throw new IllegalArgumentException("\"ttl\" cannot be negative");
    }
    if (ttl > 255) {
      throw new IllegalArgumentException("\"ttl\" cannot exceed 255");
    }
  }
}
