package io.promsuite.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One service of compose.yaml as `docker run` options, so the image checks start each
 * container the way the compose file does (same command, mounts, user groups, read-only root,
 * capabilities), only on the host network and a free port.
 */
final class ComposeService {
  /** Keys the translation leaves out, and why; any other unknown key fails the translation. */
  private static final Set<String> NOT_TRANSLATED = Set.of(
      "image",     // the test names the image it built
      "ports",     // host network: the test's free port instead
      "restart",   // a test container does not outlive the test
      "depends_on", // the test starts the containers in order itself
      "sysctls");  // network sysctls are refused in the host's network namespace
  private final String name;
  private final JsonNode service;

  private ComposeService(String name, JsonNode service) {
    this.name = name;
    this.service = service;
  }

  static ComposeService of(String name) {
    JsonNode service = Packaging.yaml(Packaging.file("compose.yaml")).path("services").get(name);
    if (service == null) {
      throw new AssertionError("compose.yaml has no service " + name);
    }
    return new ComposeService(name, service);
  }

  /** What follows the image in `docker run`: the entrypoint's arguments after its program. */
  List<String> entrypointArguments() {
    List<String> args = new ArrayList<>();
    service.path("entrypoint").forEach(a -> args.add(a.asText()));
    return args.isEmpty() ? args : args.subList(1, args.size());
  }

  /** The service's command with its --web.listen-address moved to {@code listen}. */
  List<String> command(String listen) {
    List<String> command = new ArrayList<>();
    service.path("command").forEach(a -> command.add(a.asText().startsWith("--web.listen-address=")
        ? "--web.listen-address=" + listen : a.asText()));
    return command;
  }

  /**
   * The options of `docker run`; {@code replacements} maps compose values (a ${VAR:-default},
   * a host path) to what this machine uses instead, relative sources are under packaging/.
   */
  List<String> runOptions(Map<String, String> replacements) {
    List<String> options = new ArrayList<>();
    for (var field : (Iterable<Map.Entry<String, JsonNode>>) service::fields) {
      JsonNode value = field.getValue();
      switch (field.getKey()) {
        case "command" -> { }
        case "pid" -> options.addAll(List.of("--pid", value.asText()));
        case "user" -> options.addAll(List.of("--user", value.asText()));
        case "entrypoint" -> options.addAll(List.of("--entrypoint", value.get(0).asText()));
        case "read_only" -> {
          if (value.asBoolean()) {
            options.add("--read-only");
          }
        }
        case "group_add" -> value.forEach(g -> options.addAll(List.of("--group-add", replace(g.asText(), replacements))));
        case "tmpfs" -> value.forEach(t -> options.addAll(List.of("--tmpfs", t.asText())));
        case "cap_drop" -> value.forEach(c -> options.addAll(List.of("--cap-drop", c.asText())));
        case "security_opt" -> value.forEach(o -> options.addAll(List.of("--security-opt", o.asText())));
        case "volumes" -> value.forEach(v -> options.addAll(List.of("--volume", volume(v.asText(), replacements))));
        default -> {
          if (!NOT_TRANSLATED.contains(field.getKey())) {
            throw new AssertionError("compose.yaml: " + name + "." + field.getKey() + " has no docker run translation here");
          }
        }
      }
    }
    return options;
  }

  private static String volume(String volume, Map<String, String> replacements) {
    int target = volume.indexOf(":/", volume.startsWith("/") ? 0 : volume.indexOf('}') + 1);
    String source = replace(volume.substring(0, target), replacements);
    if (source.startsWith("./")) {
      source = Packaging.dir().resolve(source.substring(2)).toString();
    }
    String rest = volume.substring(target);
    if (source.equals("/") && rest.endsWith(",rslave") && !rootPropagates()) {
      // rslave needs a shared or slave / (as systemd mounts it); a machine whose / is private
      // (a container, as CI may be) refuses it, so the mount goes without propagation there.
      rest = rest.substring(0, rest.length() - ",rslave".length());
    }
    return source + rest;
  }

  /** Whether / is a shared or slave mount here (mountinfo's optional fields). */
  static boolean rootPropagates() {
    for (String line : Packaging.read(Path.of("/proc/self/mountinfo")).lines().toList()) {
      String[] fields = line.split(" ");
      if (fields.length > 6 && fields[4].equals("/")) {
        return line.substring(0, line.indexOf(" - ")).matches(".* (shared|master):\\d+.*");
      }
    }
    return false;
  }

  private static String replace(String value, Map<String, String> replacements) {
    return replacements.getOrDefault(value, value);
  }
}
