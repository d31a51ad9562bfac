package io.promsuite.exporter.ml.source;

import io.promsuite.exporter.common.log.Logging;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A model store on a file system: {@code <root>/<model>/<version>/} with artifacts and an optional
 * metadata file. A version directory without a finished artifact (only partial or hidden files, or
 * empty) is being written and is skipped until it is complete.
 */
public final class LocalStore implements ModelSource {
  private static final Logger LOG = Logger.getLogger(LocalStore.class.getName());

  private final String name;
  private final Path root;
  private final MetadataHistory history;

  public LocalStore(String name, Path root) {
    this.name = name;
    this.root = root;
    this.history = new MetadataHistory(name, LOG);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "local";
  }

  @Override
  public List<ModelReading> read() throws IOException {
    if (!Files.isDirectory(root)) {
      throw new NoSuchFileException(root.toString(), null, "model store root is not a directory");
    }
    Map<String, List<StoreLayout.Version>> models = new TreeMap<>();
    Map<String, Integer> modelErrors = new HashMap<>();
    history.beginRefresh();
    for (Path modelDir : children(root)) {
      // File names are bytes on Linux; a name that is not UTF-8 is shown with U+FFFD in the label.
      String model = modelDir.getFileName().toString();
      List<StoreLayout.Version> versions = new ArrayList<>();
      try {
        for (Path versionDir : children(modelDir)) {
          StoreLayout.Version v = readVersion(model, versionDir);
          if (v != null) {
            versions.add(v);
          }
        }
      } catch (IOException | UncheckedIOException e) {
        modelErrors.merge(model, 1, Integer::sum);
        Logging.log(LOG, Level.WARNING, "cannot read model directory", "source", name, "key", modelDir, "err", e.getMessage());
      }
      models.put(model, versions);
    }
    history.endRefresh();
    return StoreLayout.readings(models, modelErrors);
  }

  /** Sub-directories that are not hidden (".staging", ".git"). */
  private static List<Path> children(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (!p.getFileName().toString().startsWith(".") && Files.isDirectory(p)) {
          out.add(p);
        }
      }
    }
    return out;
  }

  private StoreLayout.Version readVersion(String model, Path dir) throws IOException {
    long[] size = {0};
    long[] newest = {Long.MIN_VALUE};
    int[] artifacts = {0};
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
        return d.equals(dir) || !d.getFileName().toString().startsWith(".") ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
        String file = f.getFileName().toString();
        boolean topLevelMetadata = f.getParent().equals(dir) && Metadata.isMetadataFile(file);
        if (attrs.isRegularFile() && !topLevelMetadata && StoreLayout.isArtifact(file)) {
          artifacts[0]++;
          size[0] += attrs.size();
          newest[0] = Math.max(newest[0], attrs.lastModifiedTime().toMillis());
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path f, IOException e) {
        // A file deleted while we walk is normal for a store being written; anything else is not.
        if (!(e instanceof NoSuchFileException)) {
          throw new UncheckedIOException(e);
        }
        return FileVisitResult.CONTINUE;
      }
    });
    if (artifacts[0] == 0) {
      Logging.log(LOG, Level.FINE, "skipping incomplete version (no finished artifact yet)", "source", name, "key", dir);
      return null;
    }
    String version = dir.getFileName().toString();
    Metadata metadata = Metadata.NONE;
    Path f = null;
    String stamp = "";
    for (String file : new String[] {"metadata.json", "metadata.yaml", "metadata.yml"}) {
      Path candidate = dir.resolve(file);
      if (Files.isRegularFile(candidate)) {
        f = candidate;
        try {
          // Read before the content so a file replaced meanwhile is read again (and reported) next time.
          BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
          stamp = a.fileKey() + "/" + a.size() + "/" + a.lastModifiedTime().toMillis();
          metadata = Metadata.parse(file, Files.readAllBytes(f));
        } catch (IOException e) {
          metadata = Metadata.unreadable("cannot read: " + e.getMessage());
        }
        break;
      }
    }
    MetadataHistory.Settled settled = history.settle(model, version, f == null ? dir : f, stamp, metadata);
    return new StoreLayout.Version(version, size[0], newest[0] / 1000.0, settled.metadata(), settled.newProblems(),
        settled.unreadable());
  }
}
