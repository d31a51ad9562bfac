package io.promsuite.exporter.common.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;

/**
 * One {@link DockerDaemon} for every test class of a module's test run that declares a
 * {@code DockerDaemon} parameter (in {@code @BeforeAll}, tests, {@code @AfterAll}), with
 * {@link DockerDaemon#BUSYBOX_IMAGE} imported: dockerd and the import are paid once. JUnit closes
 * it (containers removed, dockerd stopped by PID, directory deleted) when the run ends. A test that
 * stops or reconfigures its engine must start its own instead.
 */
public final class SharedDockerDaemon implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == DockerDaemon.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(Holder.class, k -> new Holder(), Holder.class).engine();
  }

  /** Starts the engine on first use; closed by JUnit with the root context's store. */
  private static final class Holder implements AutoCloseable {
    private DockerDaemon engine;
    private RuntimeException failure;

    synchronized DockerDaemon engine() {
      if (engine == null && failure == null) {
        try {
          DockerDaemon started = DockerDaemon.start();
          engine = started;
          started.importBusyboxImage(DockerDaemon.BUSYBOX_IMAGE);
        } catch (TestAbortedException e) {
          throw e;  // skipped on a laptop without docker: every user is skipped the same way
        } catch (Exception | AssertionError e) {
          failure = new IllegalStateException("cannot start the shared dockerd: " + e.getMessage(), e);
        }
      }
      if (failure != null) {
        throw failure;
      }
      return engine;
    }

    @Override
    public synchronized void close() {
      if (engine != null) {
        engine.close();
      }
    }
  }
}
