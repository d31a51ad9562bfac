package io.promsuite.exporter.common.web;

import io.promsuite.exporter.common.config.ConfigException;
import io.promsuite.exporter.common.log.Logging;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The web config as it is served now. Like exporter-toolkit, which re-reads the file for every
 * connection, a changed web config file (users, headers) or changed TLS files (a renewed
 * certificate, a new client CA) take effect without a restart: their size and modification time are
 * compared every second, and SIGHUP / POST /-/reload re-read them at once. A file that is broken
 * after a change keeps the last good config in force, is logged once per change and shows in
 * {@code <prefix>_web_config_last_reload_successful 0}. Switching TLS on or off needs a restart.
 */
public final class LiveWebConfig {
  private static final Logger LOG = Logger.getLogger(LiveWebConfig.class.getName());

  /** A loaded, validated config with what requests need from it. */
  record Active(WebConfig config, BasicAuth auth, PemTls.Material tls) {}

  /** Size and modification time of every file the config depends on. */
  private record Stamp(List<String> parts) {}

  private final Path file;
  private volatile Active active;
  private volatile Stamp stamp;
  private volatile Consumer<Boolean> listener = ok -> { };

  private LiveWebConfig(Path file, Active active, Stamp stamp) {
    this.file = file;
    this.active = active;
    this.stamp = stamp;
  }

  /** No web config file: plain HTTP, no users. */
  public static LiveWebConfig none() {
    return new LiveWebConfig(null, new Active(WebConfig.NONE, new BasicAuth(Map.of()), null), null);
  }

  /** Loads and validates {@code file} (TLS key matches certificate, client CA parses). */
  public static LiveWebConfig load(Path file) throws ConfigException {
    Active active = read(file);
    return new LiveWebConfig(file, active, stamp(file, active.config()));
  }

  /** Loads {@code config} as if it came from a file (tests, embedding); never changes. */
  public static LiveWebConfig of(WebConfig config) throws ConfigException {
    return new LiveWebConfig(null, activate(Path.of("<web config>"), config), null);
  }

  private static Active read(Path file) throws ConfigException {
    return activate(file, WebConfig.load(file));
  }

  private static Active activate(Path file, WebConfig config) throws ConfigException {
    PemTls.Material tls = null;
    if (config.tlsServerConfig() != null) {
      try {
        tls = PemTls.material(config.tlsServerConfig());
      } catch (IOException | GeneralSecurityException e) {
        throw new ConfigException(file, "tls_server_config: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      }
    }
    return new Active(config, new BasicAuth(config.basicAuthUsers()), tls);
  }

  /** Called with the outcome of every reload attempt (for the reload metrics). */
  public void onReload(Consumer<Boolean> listener) {
    this.listener = listener;
  }

  public boolean fromFile() {
    return file != null;
  }

  public WebConfig config() {
    return active.config();
  }

  Active active() {
    return active;
  }

  /** Re-reads the files when one of them changed since the last attempt; cheap when none did. */
  public void check() {
    if (file == null) {
      return;
    }
    Stamp now = stamp(file, active.config());
    if (now.equals(stamp)) {
      return;
    }
    stamp = now;
    try {
      swap();
      Logging.log(LOG, Level.INFO, "web config reloaded", "file", file);
    } catch (ConfigException e) {
      // Logged once per change: the stamp is remembered even though the change was refused.
      Logging.log(LOG, Level.SEVERE, "web config reload failed, keeping the previous one", "err", e.getMessage());
    }
  }

  /** Re-reads the files now (SIGHUP, POST /-/reload); throws, keeping the old config, when they are broken. */
  public void reload() throws ConfigException {
    if (file == null) {
      return;
    }
    stamp = stamp(file, active.config());
    swap();
  }

  private void swap() throws ConfigException {
    Active next;
    try {
      next = read(file);
      if ((next.tls() == null) != (active.tls() == null)) {
        throw new ConfigException(file, "tls_server_config was " + (next.tls() == null ? "removed" : "added")
            + "; switching TLS on or off needs a restart");
      }
    } catch (ConfigException e) {
      listener.accept(false);
      throw e;
    }
    active = next;
    stamp = stamp(file, next.config());
    listener.accept(true);
  }

  private static Stamp stamp(Path file, WebConfig config) {
    List<String> parts = new ArrayList<>();
    add(parts, file.toString());
    if (config != null && config.tlsServerConfig() != null) {
      WebConfig.TlsServerConfig t = config.tlsServerConfig();
      add(parts, t.certFile());
      add(parts, t.keyFile());
      add(parts, t.clientCaFile());
    }
    return new Stamp(parts);
  }

  private static void add(List<String> parts, String path) {
    if (path == null || path.isEmpty()) {
      return;
    }
    try {
      BasicFileAttributes a = Files.readAttributes(Path.of(path), BasicFileAttributes.class);
      parts.add(path + ":" + a.size() + ":" + a.lastModifiedTime() + ":" + a.fileKey());
    } catch (IOException e) {
      parts.add(path + ":missing");
    }
  }
}
