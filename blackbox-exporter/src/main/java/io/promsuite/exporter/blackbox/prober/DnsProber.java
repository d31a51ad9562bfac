package io.promsuite.exporter.blackbox.prober;

import io.promsuite.exporter.blackbox.config.DnsProbe;
import io.promsuite.exporter.blackbox.config.DnsRrValidator;
import io.promsuite.exporter.blackbox.config.Module;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The {@code dns} prober: one query over UDP or TCP, then rcode and record checks (dnsjava for the wire format). */
public final class DnsProber implements Prober {
  private static final SecureRandom IDS = new SecureRandom();
  private final Resolver resolver;

  public DnsProber(Resolver resolver) {
    this.resolver = resolver;
  }

  @Override
  public boolean probe(Deadline deadline, String target, Module module, ProbeSink sink, ProbeLog log) {
    DnsProbe cfg = module.dns();
    ProbeSink.Gauge phases = sink.gauge("probe_dns_duration_seconds", "Duration of DNS request by phase", "phase");
    ProbeSink.Gauge answer = sink.gauge("probe_dns_answer_rrs", "Returns number of entries in the answer resource record list");
    ProbeSink.Gauge authority = sink.gauge("probe_dns_authority_rrs", "Returns number of entries in the authority resource record list");
    ProbeSink.Gauge additional = sink.gauge("probe_dns_additional_rrs", "Returns number of entries in the additional resource record list");
    ProbeSink.Gauge succeeded = sink.gauge("probe_dns_query_succeeded", "Displays whether or not the query was executed successfully");
    for (String p : List.of("resolve", "connect", "request")) {
      phases.set(0, p);
    }
    answer.set(0);
    authority.set(0);
    additional.set(0);
    succeeded.set(0);
    HostPort hp = HostPort.parse(target, cfg.dnsOverTls() ? 853 : 53);
    if (hp == null) {
      log.error("Error splitting target address and port", "err", "address " + target + ": invalid port");
      return false;
    }
    String host = hp.host();
    int port = hp.port();
    Resolver.Choice choice = resolver.chooseOrLog(host, cfg.preferredIpProtocol(), cfg.ipProtocolFallback(), sink, log);
    if (choice == null) {
      return false;
    }
    phases.add(choice.lookupSeconds(), "resolve");
    Message query;
    int type = Type.value(cfg.queryType());
    try {
      String qname = cfg.queryName().endsWith(".") ? cfg.queryName() : cfg.queryName() + ".";
      query = Message.newQuery(Record.newRecord(Name.fromString(qname), type, DClass.value(cfg.queryClass())));
    } catch (IOException e) {
      log.error("Invalid query name", "query", cfg.queryName(), "err", e.getMessage());
      return false;
    }
    query.getHeader().setID(IDS.nextInt(0x10000));
    if (!cfg.recursionDesired()) {
      query.getHeader().unsetFlag(Flags.RD);
    }
    InetSocketAddress server = new InetSocketAddress(choice.address(), port);
    log.info("Making DNS query", "target", server.getAddress().getHostAddress() + ":" + port, "dial_protocol",
        cfg.transportProtocol() + (choice.address() instanceof java.net.Inet4Address ? "4" : "6")
            + (cfg.dnsOverTls() ? "-tls" : ""),
        "query", cfg.queryName(), "type", type, "class", DClass.value(cfg.queryClass()));
    Message response;
    long start = System.nanoTime();
    long[] requestStart = {0};
    try {
      response = cfg.transportProtocol().equals("tcp") ? tcp(query, server, host, cfg, deadline, requestStart)
          : udp(query, server, cfg, deadline, requestStart);
    } catch (java.security.GeneralSecurityException e) {
      setPhases(phases, start, requestStart[0]);
      log.error("Failed to create TLS configuration", "err", e.getMessage());
      return false;
    } catch (IOException e) {
      setPhases(phases, start, requestStart[0]);
      log.error("Error while sending a DNS query", "err", e instanceof SocketTimeoutException ? "i/o timeout" : e.getMessage());
      return false;
    }
    setPhases(phases, start, requestStart[0]);
    log.info("Got response", "response", response.toString().replace('\n', ' '));
    List<Record> ans = response.getSection(Section.ANSWER);
    List<Record> auth = response.getSection(Section.AUTHORITY);
    List<Record> add = response.getSection(Section.ADDITIONAL);
    answer.set(ans.size());
    authority.set(auth.size());
    additional.set(add.size());
    succeeded.set(1);
    if (type == Type.SOA) {
      ProbeSink.Gauge serial = sink.gauge("probe_dns_serial", "Returns the serial number of the zone");
      serial.set(0);
      for (Record r : ans) {
        if (r instanceof SOARecord soa) {
          serial.set(soa.getSerial());
        }
      }
    }
    int rcode = response.getRcode();
    if (cfg.validRcodes().stream().noneMatch(v -> Rcode.value(v.toUpperCase(Locale.ROOT)) == rcode)) {
      log.error("Rcode is not one of the valid rcodes", "rcode", rcode, "string_rcode", Rcode.string(rcode),
          "valid_rcodes", cfg.validRcodes());
      return false;
    }
    log.info("Rcode is valid", "rcode", rcode, "string_rcode", Rcode.string(rcode));
    return valid("Answer", ans, cfg.validateAnswerRrs(), log) && valid("Authority", auth, cfg.validateAuthorityRrs(), log)
        && valid("Additional", add, cfg.validateAdditionalRrs(), log);
  }

  private static void setPhases(ProbeSink.Gauge phases, long start, long requestStart) {
    long end = System.nanoTime();
    long reqStart = requestStart == 0 ? end : requestStart;
    phases.set((reqStart - start) / 1e9, "connect");
    phases.set((end - reqStart) / 1e9, "request");
  }

  private static Message udp(Message query, InetSocketAddress server, DnsProbe cfg, Deadline deadline, long[] requestStart)
      throws IOException {
    try (DatagramSocket s = new DatagramSocket(cfg.sourceIpAddress().isEmpty() ? null
        : new InetSocketAddress(InetAddress.ofLiteral(cfg.sourceIpAddress()), 0))) {
      s.connect(server);
      byte[] wire = query.toWire();
      requestStart[0] = System.nanoTime();
      s.send(new DatagramPacket(wire, wire.length));
      byte[] buf = new byte[65535];
      while (true) {
        s.setSoTimeout(deadline.remainingMillis());
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        s.receive(p);
        Message m = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
        if (m.getHeader().getID() == query.getHeader().getID()) {
          return m;
        }
      }
    }
  }

  /** DNS over TCP, or over TLS (RFC 7858: the same framing; the handshake counts as connect time). */
  private static Message tcp(Message query, InetSocketAddress server, String host, DnsProbe cfg, Deadline deadline,
      long[] requestStart) throws IOException, java.security.GeneralSecurityException {
    try (Socket s = new Socket()) {
      if (!cfg.sourceIpAddress().isEmpty()) {
        s.bind(new InetSocketAddress(InetAddress.ofLiteral(cfg.sourceIpAddress()), 0));
      }
      s.connect(server, deadline.remainingMillis());
      if (cfg.dnsOverTls()) {
        // The TLS socket closes the plain one with it.
        Socket tls = TlsSupport.handshake(s, host, server.getPort(), cfg.tlsConfig(), deadline.remainingMillis()).socket();
        requestStart[0] = System.nanoTime();
        try (tls) {
          return exchange(tls, query, deadline);
        }
      }
      requestStart[0] = System.nanoTime();
      return exchange(s, query, deadline);
    }
  }

  private static Message exchange(Socket s, Message query, Deadline deadline) throws IOException {
    byte[] wire = query.toWire();
    OutputStream out = s.getOutputStream();
    out.write(new byte[] {(byte) (wire.length >> 8), (byte) wire.length});
    out.write(wire);
    out.flush();
    s.setSoTimeout(deadline.remainingMillis());
    DataInputStream in = new DataInputStream(s.getInputStream());
    byte[] reply = new byte[in.readUnsignedShort()];
    in.readFully(reply);
    return new Message(reply);
  }

  /** Go's miekg/dns RR String(): name, TTL, class, type and data separated by tabs. */
  static String text(Record r) {
    return r.getName() + "\t" + r.getTTL() + "\t" + DClass.string(r.getDClass()) + "\t" + Type.string(r.getType())
        + "\t" + r.rdataToString();
  }

  private static boolean valid(String section, List<Record> rrs, DnsRrValidator v, ProbeLog log) {
    log.info("Validating " + section + " RRs");
    if (rrs.isEmpty() && !v.failIfNotMatchesRegexp().isEmpty()) {
      log.error("fail_if_not_matches_regexp specified but no RRs returned");
      return fail(section, log);
    }
    if (rrs.isEmpty() && !v.failIfNoneMatchesRegexp().isEmpty()) {
      log.error("fail_if_none_matches_regexp specified but no RRs returned");
      return fail(section, log);
    }
    boolean anyMatch = false;
    boolean allMatch = true;
    for (Record rr : rrs) {
      String s = text(rr);
      log.info("Validating RR", "rr", s);
      for (Pattern re : v.failIfMatchesRegexp()) {
        if (re.matcher(s).find()) {
          log.error("At least one RR matched regexp", "regexp", re.pattern(), "rr", s);
          return fail(section, log);
        }
      }
      for (Pattern re : v.failIfAllMatchRegexp()) {
        if (!re.matcher(s).find()) {
          allMatch = false;
        }
      }
      for (Pattern re : v.failIfNotMatchesRegexp()) {
        if (!re.matcher(s).find()) {
          log.error("At least one RR did not match regexp", "regexp", re.pattern(), "rr", s);
          return fail(section, log);
        }
      }
      for (Pattern re : v.failIfNoneMatchesRegexp()) {
        if (re.matcher(s).find()) {
          anyMatch = true;
        }
      }
    }
    // As blackbox_exporter does (despite the option's name): fail unless every record matched.
    if (!v.failIfAllMatchRegexp().isEmpty() && !allMatch) {
      log.error("Not all RRs matched regexp");
      return fail(section, log);
    }
    if (!v.failIfNoneMatchesRegexp().isEmpty() && !anyMatch) {
      log.error("None of the RRs did matched any regexp");
      return fail(section, log);
    }
    return true;
  }

  private static boolean fail(String section, ProbeLog log) {
    log.error(section + " RRs validation failed");
    return false;
  }
}
