package io.promsuite.exporter.common.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line flags in the style of the Go exporters (kingpin): {@code --name=value},
 * {@code --name value}, booleans as {@code --name} / {@code --no-name}.
 */
public final class Flags {

  /** What a flag is: its name without dashes, default, help line and whether it is a switch. */
  public record Spec(String name, String defaultValue, String help, boolean bool, boolean repeatable) {}

  private final Map<String, Spec> specs = new LinkedHashMap<>();
  private final Map<String, List<String>> values = new LinkedHashMap<>();
  private final List<String> positional = new ArrayList<>();

  /** Declares a flag taking a value. */
  public Flags string(String name, String defaultValue, String help) {
    return add(new Spec(name, defaultValue, help, false, false));
  }

  /** Declares a flag that may be given several times; {@link #list} returns every value. */
  public Flags repeatable(String name, String help) {
    return add(new Spec(name, null, help, false, true));
  }

  /** Declares a switch: {@code --name} turns it on, {@code --no-name} off. */
  public Flags bool(String name, boolean defaultValue, String help) {
    return add(new Spec(name, Boolean.toString(defaultValue), help, true, false));
  }

  private Flags add(Spec spec) {
    if (specs.putIfAbsent(spec.name(), spec) != null) {
      throw new IllegalArgumentException("flag --" + spec.name() + " declared twice");
    }
    return this;
  }

  public boolean isDeclared(String name) {
    return specs.containsKey(name);
  }

  public Map<String, Spec> specs() {
    return Collections.unmodifiableMap(specs);
  }

  /** Parses {@code args}; every problem names the flag and what it accepts. */
  public Flags parse(String... args) throws FlagException {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--")) {
        positional.addAll(List.of(args).subList(i + 1, args.length));
        break;
      }
      if (!arg.startsWith("--") || arg.length() == 2) {
        if (arg.startsWith("-") && arg.length() > 1) {
          throw new FlagException("unknown short flag '" + arg + "' (flags are written --name=value)");
        }
        positional.add(arg);
        continue;
      }
      String body = arg.substring(2);
      String name = body;
      String value = null;
      int eq = body.indexOf('=');
      if (eq >= 0) {
        name = body.substring(0, eq);
        value = body.substring(eq + 1);
      }
      Spec spec = specs.get(name);
      if (spec == null && name.startsWith("no-")) {
        Spec negated = specs.get(name.substring(3));
        if (negated != null && negated.bool()) {
          if (value != null) {
            throw new FlagException("flag --" + name + " takes no value");
          }
          values.put(negated.name(), List.of("false"));
          continue;
        }
      }
      if (spec == null) {
        throw new FlagException("unknown flag --" + name + suggestion(name));
      }
      if (spec.bool()) {
        if (value == null) {
          value = "true";
        } else if (!value.equals("true") && !value.equals("false")) {
          throw new FlagException("flag --" + name + " expects true or false, got '" + value + "'");
        }
      } else if (value == null) {
        if (i + 1 >= args.length) {
          throw new FlagException("flag --" + name + " needs a value");
        }
        value = args[++i];
      }
      if (spec.repeatable()) {
        values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      } else {
        values.put(name, List.of(value));
      }
    }
    return this;
  }

  private String suggestion(String name) {
    for (String known : specs.keySet()) {
      if (known.endsWith(name) || name.endsWith(known) || known.replace('-', '.').equals(name.replace('-', '.'))) {
        return " (did you mean --" + known + "?)";
      }
    }
    return " (see --help)";
  }

  public List<String> positional() {
    return List.copyOf(positional);
  }

  public String get(String name) {
    Spec spec = spec(name);
    List<String> v = values.get(name);
    return v == null ? spec.defaultValue() : v.getLast();
  }

  public List<String> list(String name) {
    spec(name);
    return List.copyOf(values.getOrDefault(name, List.of()));
  }

  public boolean isSet(String name) {
    spec(name);
    return values.containsKey(name);
  }

  public boolean bool(String name) {
    return Boolean.parseBoolean(get(name));
  }

  public int integer(String name) throws FlagException {
    String v = get(name);
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new FlagException("flag --" + name + " expects an integer, got '" + v + "'");
    }
  }

  /** A duration in Prometheus' notation: {@code 500ms}, {@code 10s}, {@code 1m30s}, {@code 2h}. */
  public Duration duration(String name) throws FlagException {
    String v = get(name);
    try {
      return Durations.parse(v);
    } catch (IllegalArgumentException e) {
      throw new FlagException("flag --" + name + ": " + e.getMessage());
    }
  }

  private Spec spec(String name) {
    Spec spec = specs.get(name);
    if (spec == null) {
      throw new IllegalArgumentException("flag --" + name + " was never declared");
    }
    return spec;
  }

  /** The --help text: one line per flag with its default. */
  public String usage(String program, String description) {
    StringBuilder sb = new StringBuilder();
    sb.append("usage: ").append(program).append(" [<flags>]\n\n").append(description).append("\n\nFlags:\n");
    for (Spec s : specs.values()) {
      String left = s.bool() ? "--[no-]" + s.name() : "--" + s.name() + "=" + placeholder(s.name());
      sb.append("  ").append(left);
      int pad = Math.max(1, 46 - left.length());
      sb.append(" ".repeat(pad)).append(s.help());
      if (s.defaultValue() != null && !s.defaultValue().isEmpty() && !s.bool()) {
        sb.append(" (default: ").append(s.defaultValue()).append(')');
      } else if (s.bool()) {
        sb.append(" (default: ").append(s.defaultValue()).append(')');
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String placeholder(String name) {
    String last = name.substring(name.lastIndexOf('.') + 1);
    return last.toUpperCase().replace('-', '_');
  }
}
