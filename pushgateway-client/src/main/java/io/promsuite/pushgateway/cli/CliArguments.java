package io.promsuite.pushgateway.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The parsed command line of {@link PushGatewayCli}. */
final class CliArguments {

  static final String USAGE = """
      usage: pushgateway-client push   --gateway ADDRESS --job NAME [--label k=v]... [--method put|post] [--spool DIR] [options] [FILE|-]
             pushgateway-client delete --gateway ADDRESS --job NAME [--label k=v]... [--spool DIR] [options]
             pushgateway-client flush  --gateway ADDRESS --spool DIR [options]
      ADDRESS is host:port (as client_java's PushGateway takes it) or a URL, http(s)://host:port[/prefix]
      options:
        --scheme http|https           for a host:port ADDRESS (default http)
        --timeout DURATION            per request (default 10s)
        --retry-deadline DURATION     all attempts of one request (default 30s; 0s: one attempt)
        --spool-max-bytes N           size bound of the spool directory (default 67108864)
        --basic-auth-user USER        with --basic-auth-password-file FILE
        --bearer-token-file FILE      sends Authorization: Bearer <file contents>
        --header 'Name: value'        an extra header, repeatable
        --ca-file FILE                trust the CA certificates in this PEM file for https
      exit codes: 0 sent, 3 spooled (or left in the spool), 1 rejected or failed, 2 usage
      """;

  private static final Set<String> COMMANDS = Set.of("push", "delete", "flush");
  private static final Set<String> SINGLE = Set.of("--gateway", "--scheme", "--job", "--method", "--spool", "--timeout",
      "--retry-deadline", "--spool-max-bytes", "--basic-auth-user", "--basic-auth-password-file",
      "--bearer-token-file", "--ca-file");
  private static final Set<String> REPEATED = Set.of("--label", "--header");
  private static final Pattern DURATION = Pattern.compile("([0-9]+)(ms|s|m|h)");

  final String command;
  final Map<String, String> single = new LinkedHashMap<>();
  final Map<String, String> labels = new LinkedHashMap<>();
  final List<String> headers = new ArrayList<>();
  String file;

  private CliArguments(String command) {
    this.command = command;
  }

  static CliArguments parse(String[] args) throws UsageException {
    if (args.length == 0 || !COMMANDS.contains(args[0])) {
      throw new UsageException(args.length == 0 ? "no command given: use push, delete or flush"
          : "unknown command '" + args[0] + "': use push, delete or flush");
    }
    CliArguments a = new CliArguments(args[0]);
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || arg.equals("-")) {
        if (a.file != null || !a.command.equals("push")) {
          throw new UsageException("unexpected argument '" + arg + "'" + (a.command.equals("push")
              ? ": push reads one FILE (or - for stdin)" : ": " + a.command + " takes no file"));
        }
        a.file = arg;
        continue;
      }
      String flag = arg;
      String value;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        flag = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new UsageException(flag + " needs a value");
      }
      if (REPEATED.contains(flag)) {
        a.repeated(flag, value);
      } else if (SINGLE.contains(flag)) {
        if (a.single.put(flag, value) != null) {
          throw new UsageException(flag + " given twice");
        }
      } else {
        throw new UsageException("unknown flag " + flag);
      }
    }
    a.check();
    return a;
  }

  private void repeated(String flag, String value) throws UsageException {
    if (flag.equals("--header")) {
      if (value.indexOf(':') <= 0) {
        throw new UsageException("--header '" + value + "' must be 'Name: value'");
      }
      headers.add(value);
      return;
    }
    int eq = value.indexOf('=');
    if (eq <= 0) {
      throw new UsageException("--label '" + value + "' must be name=value (the value may be empty)");
    }
    if (labels.put(value.substring(0, eq), value.substring(eq + 1)) != null) {
      throw new UsageException("--label " + value.substring(0, eq) + " given twice");
    }
  }

  private void check() throws UsageException {
    require("--gateway");
    if (command.equals("flush")) {
      require("--spool");
      for (String f : List.of("--job", "--method")) {
        if (single.containsKey(f)) {
          throw new UsageException("flush sends what is spooled; " + f + " does not apply");
        }
      }
      if (!labels.isEmpty()) {
        throw new UsageException("flush sends what is spooled; --label does not apply");
      }
    } else {
      require("--job");
    }
    String scheme = single.get("--scheme");
    if (scheme != null && !scheme.equals("http") && !scheme.equals("https")) {
      throw new UsageException("--scheme '" + scheme + "' must be http or https");
    }
    if (scheme != null && get("--gateway").contains("://") && !get("--gateway").startsWith(scheme + "://")) {
      throw new UsageException("--scheme " + scheme + " contradicts --gateway " + get("--gateway")
          + ": give host:port with --scheme, or a URL alone");
    }
    if (command.equals("delete") && single.containsKey("--method")) {
      throw new UsageException("delete always uses DELETE; --method does not apply");
    }
    String method = single.getOrDefault("--method", "put");
    if (!method.equals("put") && !method.equals("post")) {
      throw new UsageException("--method '" + method + "' must be put (replace the group) or post (replace same-named metrics)");
    }
    if (single.containsKey("--basic-auth-user") != single.containsKey("--basic-auth-password-file")) {
      throw new UsageException("--basic-auth-user and --basic-auth-password-file go together");
    }
    if (single.containsKey("--basic-auth-user") && single.containsKey("--bearer-token-file")) {
      throw new UsageException("use either basic auth or --bearer-token-file, not both");
    }
  }

  private void require(String flag) throws UsageException {
    if (!single.containsKey(flag)) {
      throw new UsageException(command + " needs " + flag);
    }
  }

  String get(String flag) {
    return single.get(flag);
  }

  Duration duration(String flag, Duration dflt) throws UsageException {
    String v = single.get(flag);
    if (v == null) {
      return dflt;
    }
    Matcher m = DURATION.matcher(v);
    if (!m.matches()) {
      throw new UsageException(flag + " '" + v + "' must be a duration like 500ms, 10s, 2m or 1h");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  long positiveLong(String flag, long dflt) throws UsageException {
    String v = single.get(flag);
    if (v == null) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw new UsageException(flag + " '" + v + "' must be a positive number of bytes");
  }
}
