package io.promsuite.exporter.ml.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes model store trees ({@code <root>/<model>/<version>/}) for tests and benchmarks. */
public final class ModelTree {
  private final Path root;

  public ModelTree(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** Writes {@code <model>/<version>/<file>}. */
  public ModelTree file(String model, String version, String file, String content) throws IOException {
    Path p = root.resolve(model).resolve(version).resolve(file);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return this;
  }

  /** A version with an artifact of {@code size} bytes and a metadata.json. */
  public ModelTree version(String model, String version, int size, String metadataJson) throws IOException {
    file(model, version, "model.bin", "x".repeat(size));
    if (metadataJson != null) {
      file(model, version, "metadata.json", metadataJson);
    }
    return this;
  }
}
