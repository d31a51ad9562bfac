package io.promsuite.exporter.blackbox.config;

import io.promsuite.exporter.common.config.http.TlsConfig;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** The {@code dns:} section: one query (name, type, class, transport) and checks on the answer. */
public record DnsProbe(String preferredIpProtocol, Boolean ipProtocolFallback, Boolean dnsOverTls,
    TlsConfig tlsConfig, String sourceIpAddress, String transportProtocol, String queryClass, String queryName,
    String queryType, Boolean recursionDesired, List<String> validRcodes, DnsRrValidator validateAnswerRrs,
    DnsRrValidator validateAuthorityRrs, DnsRrValidator validateAdditionalRrs) {

  public DnsProbe {
    preferredIpProtocol = IpProtocol.check(preferredIpProtocol);
    ipProtocolFallback = ipProtocolFallback == null || ipProtocolFallback;
    dnsOverTls = dnsOverTls != null && dnsOverTls;
    tlsConfig = tlsConfig == null ? TlsConfig.DEFAULT : tlsConfig;
    sourceIpAddress = SourceAddress.check(sourceIpAddress);
    transportProtocol = transportProtocol == null || transportProtocol.isEmpty() ? "udp" : transportProtocol;
    if (!transportProtocol.equals("udp") && !transportProtocol.equals("tcp")) {
      throw new IllegalArgumentException("transport_protocol must be udp or tcp, got '" + transportProtocol + "'");
    }
    if (dnsOverTls && !transportProtocol.equals("tcp")) {
      throw new IllegalArgumentException("dns_over_tls needs transport_protocol: tcp");
    }
    if (queryName == null || queryName.isEmpty()) {
      throw new IllegalArgumentException("query name must be set for DNS module");
    }
    queryClass = queryClass == null || queryClass.isEmpty() ? "IN" : queryClass;
    if (DClass.value(queryClass) < 0) {
      throw new IllegalArgumentException("query class '" + queryClass + "' is not valid");
    }
    queryType = queryType == null || queryType.isEmpty() ? "ANY" : queryType;
    if (Type.value(queryType) < 0) {
      throw new IllegalArgumentException("query type '" + queryType + "' is not valid");
    }
    recursionDesired = recursionDesired == null || recursionDesired;
    if (validRcodes != null) {
      for (String rc : validRcodes) {
        if (Rcode.value(rc.toUpperCase(Locale.ROOT)) < 0) {
          throw new IllegalArgumentException("valid_rcodes: '" + rc + "' is not a DNS rcode (NOERROR, NXDOMAIN, SERVFAIL, ...)");
        }
      }
    }
    validRcodes = validRcodes == null ? List.of("NOERROR") : List.copyOf(validRcodes);
    validateAnswerRrs = validateAnswerRrs == null ? DnsRrValidator.NONE : validateAnswerRrs;
    validateAuthorityRrs = validateAuthorityRrs == null ? DnsRrValidator.NONE : validateAuthorityRrs;
    validateAdditionalRrs = validateAdditionalRrs == null ? DnsRrValidator.NONE : validateAdditionalRrs;
  }
}
