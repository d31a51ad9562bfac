package io.promsuite.exporter.blackbox.prober;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The address policy, row by row: which hosts are refused before any lookup, which resolved
 * addresses (in every IPv6 form that carries an IPv4 address) are denied, and which redirect
 * locations a probe may follow. Resolved addresses are given as the system resolver returns them:
 * an IPv4-mapped address from a hosts file arrives as an Inet6Address, not as IPv4.
 */
class TargetRulesTest {
  private static final String DENY_LOOPBACK = "127.0.0.1/32,::1/128";

  /** allow | deny | host | what it resolves to ('-': a literal or refused before lookup) | "ok" or part of the refusal. */
  @ParameterizedTest(name = "allow={0} deny={1}: {2} -> {3} is {4}")
  @CsvSource(delimiter = '|', nullValues = "", textBlock = """
      | 127.0.0.1/32,::1/128 | 127.0.0.1            | -                          | denied by --probe.deny=127.0.0.1/32
      | 127.0.0.1/32,::1/128 | 127.0.0.2            | -                          | ok
      | 127.0.0.1/32,::1/128 | ::ffff:127.0.0.1     | -                          | denied by --probe.deny=127.0.0.1/32
      | 127.0.0.1/32,::1/128 | only6.test           | ::ffff:127.0.0.1           | only6.test resolves to 127.0.0.1, denied
      | 127.0.0.1/32,::1/128 | both.test            | 127.0.0.2 ::ffff:127.0.0.1 | both.test resolves to 127.0.0.1, denied
      | 127.0.0.1/32,::1/128 | fine.test            | 127.0.0.2 2001:db8::1      | ok
      | 127.0.0.1/32,::1/128 | ::127.0.0.1          | -                          | (127.0.0.1), denied
      | 127.0.0.1/32,::1/128 | compat.test          | ::7f00:1                   | (127.0.0.1), denied
      | 127.0.0.1/32,::1/128 | ::ffff:0:127.0.0.1   | -                          | (127.0.0.1), denied
      | 127.0.0.1/32,::1/128 | 64:ff9b::7f00:1      | -                          | (127.0.0.1), denied
      | 127.0.0.1/32,::1/128 | nat64.test           | 64:ff9b::7f00:1            | (127.0.0.1), denied
      | 127.0.0.1/32,::1/128 | 2002:7f00:1::1       | -                          | (127.0.0.1), denied
      | 127.0.0.1/32,::1/128 | 2001:0:7f00:1::1     | -                          | (127.0.0.1), denied
      | 127.0.0.1/32,::1/128 | 2001:0:c000:201::80ff:fffe | -                    | (127.0.0.1), denied
      | 127.0.0.1/32,::1/128 | teredo.test          | 2001:0:c000:201::80ff:fffe | (127.0.0.1), denied
      | 127.0.0.1/32,::1/128 | 0.0.0.0              | -                          | the unspecified address
      | 127.0.0.1/32,::1/128 | ::                   | -                          | the unspecified address
      | 127.0.0.1/32,::1/128 | any.test             | 0.0.0.0                    | the unspecified address
      | 127.0.0.1/32,::1/128 | ::1                  | -                          | denied by --probe.deny=::1/128
      | 127.0.0.1/32,::1/128 | 2001:db8::1          | -                          | ok
      | ::ffff:127.0.0.0/120 | 127.0.0.9            | -                          | denied by --probe.deny=::ffff:127.0.0.0/120
      | ::ffff:127.0.0.0/120 | 127.0.1.0            | -                          | ok
      | 127.0.0.1/32         | 0177.0.0.1           | -                          | legacy IPv4 spelling
      | 127.0.0.1/32         | 127.1                | -                          | legacy IPv4 spelling
      | 127.0.0.1/32         | 0x7f.1               | -                          | legacy IPv4 spelling
      | 127.0.0.1/32         | 0x7f000001           | -                          | legacy IPv4 spelling
      | 127.0.0.1/32         | 2130706433           | -                          | legacy IPv4 spelling
      | 127.0.0.1/32         | 127.000.0.1          | -                          | legacy IPv4 spelling
      | 127.0.0.1/32         | 127.0.0.1.           | -                          | legacy IPv4 spelling
      | 127.0.0.1/32         | ::ffff:0177.0.0.1    | -                          | not four decimal numbers
      | 127.0.0.1/32         | 1.2.3.4.example      | 127.0.0.2                  | ok
      | victim.test          | victim.test          | -                          | denied by --probe.deny=victim.test
      | victim.test          | victim.test.         | -                          | denied by --probe.deny=victim.test
      | victim.test          | VICTIM.Test.         | -                          | denied by --probe.deny=victim.test
      | victim.test.         | victim.test          | -                          | denied by --probe.deny=victim.test.
      | victim.test          | a.victim.test        | 127.0.0.2                  | ok
      | *.victim.test        | A.VICTIM.TEST.       | -                          | denied by --probe.deny=*.victim.test
      | victim.test          | ｖｉｃｔｉｍ.test      | -                          | characters other than letters
      | victim.test          | victim..test         | -                          | empty label
      """)
  void denyRules(String allow, String deny, String host, String resolves, String expected) {
    assertOutcome(rules(allow, deny), host, resolves, expected);
  }

  @ParameterizedTest(name = "allow={0} deny={1}: {2} -> {3} is {4}")
  @CsvSource(delimiter = '|', nullValues = "", textBlock = """
      127.0.0.2/32               |              | nonexistent.invalid | -                | not allowed by --probe.allow
      127.0.0.2/32               |              | localhost           | -                | not allowed by --probe.allow
      127.0.0.2/32               |              | 127.0.0.2           | -                | ok
      127.0.0.2/32               |              | ::ffff:127.0.0.2    | -                | ok
      127.0.0.2/32               |              | 127.0.0.3           | -                | not allowed by --probe.allow
      127.0.0.2/32               |              | 64:ff9b::7f00:2     | -                | not allowed by --probe.allow
      127.0.0.2/32,64:ff9b::/96  |              | 64:ff9b::7f00:2     | -                | ok
      127.0.0.2/32,64:ff9b::/96  |              | 64:ff9b::7f00:1     | -                | not allowed by --probe.allow
      *.ok.test                  | 127.0.0.1/32 | x.ok.test           | 127.0.0.2        | ok
      *.ok.test                  | 127.0.0.1/32 | X.OK.TEST.          | 127.0.0.2        | ok
      *.ok.test                  | 127.0.0.1/32 | x.ok.test           | ::ffff:127.0.0.1 | x.ok.test resolves to 127.0.0.1, denied
      *.ok.test                  | 127.0.0.1/32 | ok.test             | -                | not allowed by --probe.allow
      *.ok.test                  | 127.0.0.1/32 | x.ok.test.evil.test | -                | not allowed by --probe.allow
      *.ok.test                  | x.ok.test    | X.ok.test.          | -                | denied by --probe.deny=x.ok.test
      """)
  void allowRules(String allow, String deny, String host, String resolves, String expected) {
    assertOutcome(rules(allow, deny), host, resolves, expected);
  }

  /** A redirect from http://127.0.0.2:8080/ to each location: the hop's host as OkHttp reads it, through the same checks. */
  @ParameterizedTest(name = "redirect to {0} is {1}")
  @CsvSource(delimiter = '|', textBlock = """
      http://[::ffff:127.0.0.1]:8080/x  | denied by --probe.deny=127.0.0.1/32
      http://[::ffff:7f00:1]/           | denied by --probe.deny=127.0.0.1/32
      http://[64:ff9b::7f00:1]/         | (127.0.0.1), denied
      http://[::]:8080/                 | the unspecified address
      http://0177.0.0.1:8080/           | legacy IPv4 spelling
      http://2130706433/                | legacy IPv4 spelling
      http://0x7f.1/                    | legacy IPv4 spelling
      http://127.1/                     | legacy IPv4 spelling
      //127.0.0.1:8080/                 | denied by --probe.deny=127.0.0.1/32
      http://victim.test./x             | denied by --probe.deny=victim.test
      http://VICTIM.TEST/x              | denied by --probe.deny=victim.test
      http://ｖｉｃｔｉｍ.test/             | denied by --probe.deny=victim.test
      /next                             | ok
      http://127.0.0.2:9/               | ok
      http://elsewhere.test/            | ok
      """)
  void redirectHops(String location, String expected) {
    TargetRules rules = rules(null, DENY_LOOPBACK + ",victim.test");
    HttpUrl next = HttpUrl.get("http://127.0.0.2:8080/").resolve(location);
    assertNotNull(next, location);
    assertOutcome(rules, next.host(), "-", expected);
  }

  @Test
  void ambiguousSpellingsAreRefusedEvenWithoutRules() {
    for (String host : List.of("0177.0.0.1", "127.1", "0x7f.1", "2130706433", "127.0.0.1.", "::ffff:0177.0.0.1")) {
      assertNotNull(TargetRules.formProblem(host), host);
    }
    for (String host : List.of("127.0.0.1", "::ffff:127.0.0.1", "example.com", "example.com.", "1.2.3.4.5", "0x7f.com")) {
      assertNull(TargetRules.formProblem(host), host);
    }
    assertNull(TargetRules.OPEN.checkName("0177.0.0.1"), "no rules, no refusal at this level (the handler's 400 does it)");
  }

  @Test
  void canonicalFormOfAMappedAddressIsItsIpv4Address() throws Exception {
    InetAddress mapped = raw("::ffff:127.0.0.1");
    assertTrue(mapped instanceof Inet6Address, "the resolver's form");
    assertEquals(InetAddress.ofLiteral("127.0.0.1"), AddressForms.canonical(mapped));
    TargetRules open = TargetRules.OPEN;
    assertEquals(List.of(InetAddress.ofLiteral("127.0.0.2"), InetAddress.ofLiteral("127.0.0.1")),
        open.checkResolved("both.test", List.of(InetAddress.ofLiteral("127.0.0.2"), mapped)),
        "what a probe connects to is the canonical address, duplicates dropped");
  }

  @Test
  void badRulesAreFlagErrorsNamingTheRule() {
    for (String bad : List.of("10/8", "0177.0.0.0/8", "10.0.0.0/33", "::1/129", "::ffff:0:0/64", "a..b", "*.exa mple.com", "0x7f.1")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> TargetRules.parse(List.of(), List.of(bad)), bad);
      assertTrue(e.getMessage().startsWith("--probe.deny: '" + bad + "'"), e.getMessage());
    }
  }

  private static void assertOutcome(TargetRules rules, String host, String resolves, String expected) {
    String outcome;
    try {
      if (resolves.equals("-")) {
        outcome = rules.checkName(host);
        if (outcome == null && AddressForms.isLiteral(host)) {
          outcome = rules.checkAddress(AddressForms.parse(host));
        }
      } else {
        String name = rules.checkName(host);
        outcome = name != null ? name : refusal(rules, host, resolves);
      }
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
    if (expected.equals("ok")) {
      assertNull(outcome, host);
    } else {
      assertNotNull(outcome, host + " must be refused (" + expected + ")");
      assertTrue(outcome.contains(expected), outcome);
      assertTrue(outcome.lines().count() == 1 && !outcome.contains("Exception"), outcome);
    }
  }

  private static String refusal(TargetRules rules, String host, String resolves) throws UnknownHostException {
    List<InetAddress> addresses = new ArrayList<>();
    for (String a : resolves.split(" ")) {
      addresses.add(raw(a));
    }
    try {
      rules.checkResolved(host, addresses);
      return null;
    } catch (TargetRules.Refused e) {
      return e.getMessage();
    }
  }

  /** An address as getaddrinfo hands it to Java: IPv6 stays IPv6, mapped addresses included. */
  private static InetAddress raw(String literal) throws UnknownHostException {
    byte[] b = InetAddress.ofLiteral(literal).getAddress();
    if (!literal.contains(":")) {
      return InetAddress.getByAddress(b);
    }
    if (b.length == 4) {
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xff;
      mapped[11] = (byte) 0xff;
      System.arraycopy(b, 0, mapped, 12, 4);
      b = mapped;
    }
    return Inet6Address.getByAddress(null, Arrays.copyOf(b, 16), -1);
  }

  private static TargetRules rules(String allow, String deny) {
    return TargetRules.parse(allow == null ? List.of() : List.of(allow), deny == null ? List.of() : List.of(deny));
  }
}
