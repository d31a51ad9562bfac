package io.promsuite.exporter.container.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives test classes one Docker engine for the whole module's test run (it starts in about a
 * second, the image import is shared too); JUnit closes it, by PID, when the run ends.
 */
public final class SharedDockerEngine implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == DockerEngine.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(Holder.class, k -> new Holder(), Holder.class).engine();
  }

  /** Starts the engine once; closed by JUnit with the root context. */
  @SuppressWarnings("deprecation")
  private static final class Holder implements ExtensionContext.Store.CloseableResource {
    private DockerEngine engine;
    private RuntimeException failure;

    synchronized DockerEngine engine() {
      if (engine == null && failure == null) {
        try {
          engine = DockerEngine.start();
        } catch (org.opentest4j.TestAbortedException e) {
          throw e;
        } catch (Exception e) {
          failure = new IllegalStateException("cannot start dockerd: " + e.getMessage(), e);
        }
      }
      if (failure != null) {
        throw failure;
      }
      return engine;
    }

    @Override
    public void close() throws Exception {
      if (engine != null) {
        engine.close();
      }
    }
  }
}
