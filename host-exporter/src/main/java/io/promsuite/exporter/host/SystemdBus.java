package io.promsuite.exporter.host;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.connections.AbstractConnection;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.connections.impl.DirectConnection;
import org.freedesktop.dbus.connections.impl.DirectConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.interfaces.Properties;

/**
 * One connection to systemd's D-Bus API (org.freedesktop.systemd1), through the system bus at an
 * address or, as node_exporter's hidden {@code --collector.systemd.private}, directly to systemd's
 * private socket; the reads the systemd collector makes, as go-systemd makes them for node_exporter.
 */
final class SystemdBus implements AutoCloseable {
  /** Where the system bus listens unless {@code DBUS_SYSTEM_BUS_ADDRESS} says otherwise (as godbus). */
  static final String DEFAULT_SYSTEM_BUS = "unix:path=/var/run/dbus/system_bus_socket";
  /** systemd's own socket for a direct connection (root only). */
  static final String PRIVATE_SOCKET = "unix:path=/run/systemd/private";

  private static final String SERVICE = "org.freedesktop.systemd1";
  private static final int CONNECT_TIMEOUT_MS = 3000;
  private static final String MANAGER_PATH = "/org/freedesktop/systemd1";
  private static final String MANAGER = "org.freedesktop.systemd1.Manager";

  // dbus-java logs each connection's transport at info; one connection per scrape would fill the log.
  private static final java.util.logging.Logger DBUS_JAVA_LOG = java.util.logging.Logger.getLogger("org.freedesktop.dbus");

  /** One unit from ListUnits: the fields the collector uses. */
  record Unit(String name, String loadState, String activeState, String path) {}

  private final AbstractConnection connection;
  private final boolean direct;

  private SystemdBus(AbstractConnection connection, boolean direct) {
    this.connection = connection;
    this.direct = direct;
  }

  /**
   * Connects straight to systemd's socket at {@code address} when {@code direct}; else to the bus at
   * {@code address} and, as root, when that fails, to systemd's private socket (go-systemd's order).
   */
  static SystemdBus connect(String address, boolean direct, boolean root) throws IOException {
    // The exporter's logging set-up resets JUL's levels when it starts.
    DBUS_JAVA_LOG.setLevel(java.util.logging.Level.WARNING);
    try {
      return open(address, direct);
    } catch (IOException | DBusException | RuntimeException e) {
      String failed = "couldn't get dbus connection: " + address + ": " + message(e);
      if (direct || !root) {
        throw new IOException(failed);
      }
      try {
        return open(PRIVATE_SOCKET, true);
      } catch (IOException | DBusException | RuntimeException p) {
        throw new IOException(failed + "; " + PRIVATE_SOCKET + ": " + message(p));
      }
    }
  }

  private static SystemdBus open(String address, boolean direct) throws IOException, DBusException {
    probe(address);
    return direct
        ? new SystemdBus(DirectConnectionBuilder.forAddress(address).transportConfig().withTimeout(CONNECT_TIMEOUT_MS)
            .back().build(), true)
        : new SystemdBus(DBusConnectionBuilder.forAddress(address).withShared(false).transportConfig()
            .withTimeout(CONNECT_TIMEOUT_MS).back().build(), false);
  }

  /**
   * dbus-java retries a socket that is missing or refuses until its connect timeout (10 s by
   * default) runs out; node_exporter fails at once. One plain connect first fails as fast.
   */
  private static void probe(String address) throws IOException {
    if (!address.startsWith("unix:path=") || address.contains(";")) {
      return;
    }
    String path = address.substring("unix:path=".length());
    int comma = path.indexOf(',');
    path = comma < 0 ? path : path.substring(0, comma);
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(path));
    }
  }

  /** A property of the manager (Version, SystemState). */
  Object managerProperty(String name) throws IOException {
    return property(MANAGER_PATH, MANAGER, name);
  }

  List<Unit> listUnits() throws IOException {
    try {
      List<Unit> units = new ArrayList<>();
      for (UnitStatus s : remote(MANAGER_PATH, Manager.class).ListUnits()) {
        units.add(new Unit(s.name, s.loadState, s.activeState, s.path.getPath()));
      }
      return units;
    } catch (DBusException | DBusExecutionException e) {
      throw new IOException("couldn't get units: " + message(e));
    }
  }

  /** A property of the unit at object path {@code unitPath}, in interface {@code iface} (Unit, Service, Socket...). */
  Object unitProperty(String unitPath, String iface, String name) throws IOException {
    return property(unitPath, "org.freedesktop.systemd1." + iface, name);
  }

  private Object property(String path, String iface, String name) throws IOException {
    try {
      return remote(path, Properties.class).Get(iface, name);
    } catch (DBusException | DBusExecutionException e) {
      throw new IOException("couldn't get " + iface + "." + name + " of " + path + ": " + message(e));
    }
  }

  private <T extends DBusInterface> T remote(String path, Class<T> type) throws DBusException {
    return direct
        ? ((DirectConnection) connection).getRemoteObject(path, type)
        : ((DBusConnection) connection).getRemoteObject(SERVICE, path, type);
  }

  @Override
  public void close() throws IOException {
    connection.close();
  }

  private static String message(Exception e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  /** systemd's manager interface: the one method the collector calls. */
  @DBusInterfaceName(MANAGER)
  public interface Manager extends DBusInterface {
    List<UnitStatus> ListUnits();
  }

  /** ListUnits' a(ssssssouso): name, description, load, active and sub state, following, path, job. */
  public static final class UnitStatus extends Struct {
    @Position(0) public final String name;
    @Position(1) public final String description;
    @Position(2) public final String loadState;
    @Position(3) public final String activeState;
    @Position(4) public final String subState;
    @Position(5) public final String following;
    @Position(6) public final DBusPath path;
    @Position(7) public final org.freedesktop.dbus.types.UInt32 jobId;
    @Position(8) public final String jobType;
    @Position(9) public final DBusPath jobPath;

    public UnitStatus(String name, String description, String loadState, String activeState, String subState,
        String following, DBusPath path, org.freedesktop.dbus.types.UInt32 jobId, String jobType, DBusPath jobPath) {
      this.name = name;
      this.description = description;
      this.loadState = loadState;
      this.activeState = activeState;
      this.subState = subState;
      this.following = following;
      this.path = path;
      this.jobId = jobId;
      this.jobType = jobType;
      this.jobPath = jobPath;
    }
  }
}
