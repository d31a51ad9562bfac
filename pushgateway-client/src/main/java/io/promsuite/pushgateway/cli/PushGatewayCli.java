package io.promsuite.pushgateway.cli;

import io.promsuite.pushgateway.FlushResult;
import io.promsuite.pushgateway.GroupingKey;
import io.promsuite.pushgateway.PushGateway;
import io.promsuite.pushgateway.PushMethod;
import io.promsuite.pushgateway.PushRejectedException;
import io.promsuite.pushgateway.PushResult;
import io.promsuite.pushgateway.RetryPolicy;
import io.promsuite.pushgateway.Scheme;
import io.promsuite.pushgateway.TlsTrust;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * {@code pushgateway-client push|delete|flush}: pushes exposition text from a file or stdin with
 * validation, retries and an optional spool; the replacement for {@code curl --data-binary}.
 */
public final class PushGatewayCli {

  /** Exit codes, as documented in the usage text. */
  static final int SENT = 0;
  static final int REJECTED = 1;
  static final int USAGE = 2;
  static final int SPOOLED = 3;

  private final InputStream stdin;
  private final PrintStream out;
  private final PrintStream err;

  PushGatewayCli(InputStream stdin, PrintStream out, PrintStream err) {
    this.stdin = stdin;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(new PushGatewayCli(System.in, System.out, System.err).run(args));
  }

  int run(String[] args) {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      out.print(CliArguments.USAGE);
      return SENT;
    }
    CliArguments a;
    try {
      a = CliArguments.parse(args);
    } catch (UsageException e) {
      err.println("pushgateway-client: " + e.getMessage());
      err.print(CliArguments.USAGE);
      return USAGE;
    }
    try {
      return switch (a.command) {
        case "push" -> push(a);
        case "delete" -> delete(a);
        default -> flush(a);
      };
    } catch (UsageException e) {
      err.println("pushgateway-client: " + e.getMessage());
      return USAGE;
    } catch (PushRejectedException e) {
      err.println("pushgateway-client: rejected: " + e.getMessage());
      return REJECTED;
    } catch (IOException e) {
      err.println("pushgateway-client: " + e.getMessage());
      return REJECTED;
    }
  }

  private int push(CliArguments a) throws IOException, UsageException {
    String source = a.file == null || a.file.equals("-") ? "<stdin>" : a.file;
    byte[] text = read(a.file);
    try {
      ExpositionTextValidator.validate(text);
    } catch (ExpositionTextException e) {
      err.println("pushgateway-client: " + source + ":" + e.getMessage().substring("line ".length())
          + " (nothing was sent)");
      return REJECTED;
    }
    if (text.length > 0 && text[text.length - 1] != '\n') {
      // The gateway's parser wants every line ended, the last one too.
      text = Arrays.copyOf(text, text.length + 1);
      text[text.length - 1] = '\n';
    }
    PushMethod method = "post".equals(a.get("--method")) ? PushMethod.POST : PushMethod.PUT;
    GroupingKey key = key(a);
    try (PushGateway gateway = gateway(a)) {
      return report(gateway.pushText(method, key, text), method + " " + key);
    }
  }

  private int delete(CliArguments a) throws IOException, UsageException {
    GroupingKey key = key(a);
    try (PushGateway gateway = gateway(a)) {
      return report(gateway.delete(key), "DELETE " + key);
    }
  }

  private int flush(CliArguments a) throws IOException, UsageException {
    try (PushGateway gateway = gateway(a)) {
      FlushResult r = gateway.flush();
      for (String rejected : r.rejected()) {
        err.println("pushgateway-client: rejected: " + rejected);
      }
      out.println("delivered " + r.delivered() + ", rejected " + r.rejected().size() + ", left in spool "
          + r.remaining());
      if (r.remaining() > 0) {
        err.println("pushgateway-client: " + r.unavailable());
        return SPOOLED;
      }
      return r.rejected().isEmpty() ? SENT : REJECTED;
    }
  }

  private int report(PushResult result, String what) {
    if (result == PushResult.SPOOLED) {
      err.println("pushgateway-client: gateway unreachable; " + what + " was spooled for a later push or flush");
      return SPOOLED;
    }
    return SENT;
  }

  private byte[] read(String file) throws IOException {
    if (file == null || file.equals("-")) {
      return stdin.readAllBytes();
    }
    try {
      return Files.readAllBytes(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new IOException(file + ": no such file", e);
    }
  }

  private static GroupingKey key(CliArguments a) throws UsageException {
    try {
      return GroupingKey.of(a.get("--job"), a.labels);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--label: " + e.getMessage());
    }
  }

  private static PushGateway gateway(CliArguments a) throws IOException, UsageException {
    PushGateway.Builder b;
    try {
      b = PushGateway.builder(a.get("--gateway"));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--gateway: " + e.getMessage());
    }
    if (a.get("--scheme") != null) {
      b.scheme(Scheme.fromString(a.get("--scheme")));
    }
    b.requestTimeout(positive(a, "--timeout", Duration.ofSeconds(10)));
    b.retryPolicy(RetryPolicy.DEFAULT.withDeadline(a.duration("--retry-deadline", RetryPolicy.DEFAULT.deadline())));
    if (a.get("--spool") != null) {
      b.spool(Path.of(a.get("--spool")));
      b.spoolMaxBytes(a.positiveLong("--spool-max-bytes", PushGateway.Builder.DEFAULT_SPOOL_MAX_BYTES));
    }
    if (a.get("--basic-auth-user") != null) {
      b.basicAuth(a.get("--basic-auth-user"), secret(a, "--basic-auth-password-file"));
    }
    if (a.get("--bearer-token-file") != null) {
      b.bearerToken(secret(a, "--bearer-token-file"));
    }
    for (String h : a.headers) {
      int colon = h.indexOf(':');
      b.header(h.substring(0, colon).strip(), h.substring(colon + 1).strip());
    }
    if (a.get("--ca-file") != null) {
      b.sslContext(TlsTrust.fromPem(Path.of(a.get("--ca-file"))));
    }
    try {
      return b.build();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static Duration positive(CliArguments a, String flag, Duration dflt) throws UsageException {
    Duration d = a.duration(flag, dflt);
    if (d.isZero()) {
      throw new UsageException(flag + " must be more than 0");
    }
    return d;
  }

  private static String secret(CliArguments a, String flag) throws UsageException {
    try {
      return Files.readString(Path.of(a.get(flag)), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UsageException(flag + " " + a.get(flag) + " cannot be read: " + e.getMessage());
    }
  }
}
