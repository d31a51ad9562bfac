package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import io.promsuite.exporter.common.log.Logging;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * node_exporter's textfile collector: the {@code *.prom} files of a directory (or of every
 * directory a glob matches), parsed with node_exporter's rules ({@link TextParser}), served as
 * they are, with {@code node_textfile_mtime_seconds{file}} for each file read and
 * {@code node_textfile_scrape_error} 1 when a directory or file could not be read or parsed, or a
 * file carries timestamps (the whole file is skipped then). A family another file already
 * declared with another type or help, and a sample whose labels are already there, are dropped
 * and logged, as client_golang's registry drops them for node_exporter.
 */
public final class TextfileCollector implements Collector {
  private static final Logger LOG = Logger.getLogger(TextfileCollector.class.getName());

  private final String directory;

  /** @param directory the flag's value: a directory, a glob of directories, or empty for none */
  public TextfileCollector(String directory) {
    this.directory = directory;
  }

  /** One family gathered from every file that has it. */
  private static final class Merged {
    final TextParser.Family first;
    final List<String> files = new ArrayList<>();
    final List<TextParser.Metric> metrics = new ArrayList<>();
    final Set<String> labelNames = new LinkedHashSet<>();

    Merged(TextParser.Family first) {
      this.first = first;
    }
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    boolean errored = false;
    Map<String, Merged> families = new TreeMap<>();
    Map<String, Long> mtimes = new TreeMap<>();
    for (Path dir : directories()) {
      List<Path> files = new ArrayList<>();
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path p : entries) {
          if (p.getFileName().toString().endsWith(".prom")) {
            files.add(p);
          }
        }
      } catch (IOException e) {
        errored = true;
        Logging.log(LOG, Level.SEVERE, "failed to read textfile collector directory", "path", dir, "err", e);
        continue;
      }
      files.sort(null);
      for (Path file : files) {
        try {
          List<TextParser.Family> parsed = read(file);
          for (TextParser.Family f : parsed) {
            merge(families, f, file.toString());
          }
          mtimes.put(file.toString(), Files.getLastModifiedTime(file).toMillis() / 1000);
        } catch (IOException | TextParser.ParseException e) {
          errored = true;
          Logging.log(LOG, Level.SEVERE, "failed to collect textfile data", "file", file.getFileName(), "err",
              e.getMessage());
        }
      }
    }
    for (Merged m : families.values()) {
      write(sink, m);
    }
    if (!mtimes.isEmpty()) {
      MetricSink.Family mtime = sink.gauge("node_textfile_mtime_seconds", "Unixtime mtime of textfiles successfully read.",
          "file");
      mtimes.forEach((file, seconds) -> mtime.add(seconds, file));
    }
    sink.gauge("node_textfile_scrape_error", "1 if there was an error opening or reading a file, 0 otherwise")
        .add(errored ? 1 : 0);
  }

  /** The directories the flag names; an empty flag names none, a glob every match (in order). */
  List<Path> directories() throws IOException {
    if (directory.isEmpty()) {
      return List.of();
    }
    if (directory.chars().noneMatch(c -> c == '*' || c == '?' || c == '[')) {
      return List.of(Path.of(directory));
    }
    List<Path> current = List.of(Path.of(directory.startsWith("/") ? "/" : "."));
    for (String part : directory.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      List<Path> next = new ArrayList<>();
      for (Path base : current) {
        if (part.chars().noneMatch(c -> c == '*' || c == '?' || c == '[')) {
          Path p = base.resolve(part);
          if (Files.exists(p)) {
            next.add(p);
          }
          continue;
        }
        if (!Files.isDirectory(base)) {
          continue;
        }
        List<Path> matches = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(base, part)) {
          s.forEach(matches::add);
        } catch (IOException | RuntimeException e) {
          // An unreadable level or a malformed pattern matches nothing, as in Go's filepath.Glob.
        }
        matches.sort(null);
        next.addAll(matches);
      }
      current = next;
    }
    // No match: the flag is taken as one directory, whose read then fails, as node_exporter does.
    return current.isEmpty() ? List.of(Path.of(directory)) : current;
  }

  private static List<TextParser.Family> read(Path file) throws IOException, TextParser.ParseException {
    String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    List<TextParser.Family> parsed;
    try {
      parsed = TextParser.parse(text);
    } catch (TextParser.ParseException e) {
      throw new IOException("failed to parse textfile data from \"" + file + "\": " + e.getMessage(), e);
    }
    for (TextParser.Family f : parsed) {
      for (TextParser.Metric m : f.metrics) {
        if (m.timestampMs != null) {
          throw new IOException("textfile \"" + file + "\" contains unsupported client-side timestamps, skipping entire file");
        }
      }
    }
    return parsed;
  }

  private static void merge(Map<String, Merged> families, TextParser.Family f, String file) {
    Merged m = families.get(f.name);
    if (m == null) {
      m = new Merged(f);
      families.put(f.name, m);
    } else if (!m.first.type.equals(f.type) || (m.first.help != null && f.help != null && !m.first.help.equals(f.help))
        || (m.first.help == null) != (f.help == null)) {
      m.files.add(file);
      Logging.log(LOG, Level.WARNING, "textfile family dropped: another file declares it with another type or help",
          "family", f.name, "file", file);
      return;
    }
    m.files.add(file);
    m.metrics.addAll(f.metrics);
    for (TextParser.Metric metric : f.metrics) {
      for (int i = 0; i < metric.labels.length; i += 2) {
        m.labelNames.add(metric.labels[i]);
      }
    }
  }

  private static void write(MetricSink sink, Merged m) {
    TextParser.Family f = m.first;
    String help = f.help != null ? f.help : "Metric read from " + String.join(", ", m.files);
    String[] names = m.labelNames.toArray(String[]::new);
    MetricSink.Family scalar = null;
    MetricSink.Distribution distribution = null;
    switch (f.type) {
      // client_golang keeps the name as the file has it: a counter without _total stays so.
      case "counter" -> scalar = sink.counter(f.name, help, names);
      case "gauge" -> scalar = sink.gauge(f.name, help, names);
      case "histogram" -> distribution = sink.histogram(f.name, help, names);
      case "summary" -> distribution = sink.summary(f.name, help, names);
      default -> scalar = sink.untyped(f.name, help, names);
    }
    Set<String> seen = new HashSet<>();
    int duplicates = 0;
    for (TextParser.Metric metric : m.metrics) {
      String[] values = new String[names.length];
      java.util.Arrays.fill(values, "");
      for (int l = 0; l < metric.labels.length; l += 2) {
        for (int i = 0; i < names.length; i++) {
          if (names[i].equals(metric.labels[l])) {
            values[i] = metric.labels[l + 1];
          }
        }
      }
      if (!seen.add(String.join("\u0000", values))) {
        duplicates++;
        continue;
      }
      if (scalar != null) {
        scalar.add(metric.value, values);
      } else {
        Map<Double, Double> points = new LinkedHashMap<>();
        for (double[] p : metric.points) {
          points.put(p[0], f.type.equals("histogram") ? truncate(p[1]) : p[1]);
        }
        double[] keys = new double[points.size()];
        double[] vals = new double[points.size()];
        int i = 0;
        for (Map.Entry<Double, Double> e : points.entrySet()) {
          keys[i] = e.getKey();
          vals[i++] = e.getValue();
        }
        distribution.add(keys, vals, metric.sum, truncate(metric.count), values);
      }
    }
    if (duplicates > 0) {
      Logging.log(LOG, Level.WARNING, "textfile samples dropped: same name and label values seen before",
          "family", f.name, "samples", duplicates);
    }
  }

  /** Counts are unsigned integers in client_golang. */
  private static double truncate(double v) {
    return v >= 0 ? Math.floor(v) : 0;
  }
}
