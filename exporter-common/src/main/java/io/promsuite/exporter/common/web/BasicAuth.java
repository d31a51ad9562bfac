package io.promsuite.exporter.common.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * Checks {@code Authorization: Basic} against bcrypt hashes. bcrypt costs tens of milliseconds by
 * design, so, like exporter-toolkit, verified (user, password) pairs are cached by a SHA-256 of
 * both; unknown users still pay one bcrypt so timing does not reveal which users exist.
 */
final class BasicAuth {
  private static final int CACHE_LIMIT = 1024;
  private static final byte[] DUMMY_HASH =
      "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi".getBytes(StandardCharsets.UTF_8);

  private final Map<String, byte[]> users;
  private final Map<String, Boolean> cache = new ConcurrentHashMap<>();

  BasicAuth(Map<String, String> users) {
    this.users = new ConcurrentHashMap<>();
    users.forEach((u, h) -> this.users.put(u, h.getBytes(StandardCharsets.UTF_8)));
  }

  boolean enabled() {
    return !users.isEmpty();
  }

  /** True when the header carries a known user and the right password. */
  boolean check(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return false;
    }
    String user = decoded.substring(0, colon);
    String password = decoded.substring(colon + 1);
    String key = digest(user, password);
    Boolean cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    byte[] hash = users.get(user);
    boolean ok = verify(password, hash == null ? DUMMY_HASH : hash) && hash != null;
    if (cache.size() >= CACHE_LIMIT) {
      cache.clear();
    }
    cache.put(key, ok);
    return ok;
  }

  /**
   * Go's x/crypto/bcrypt: a password longer than 72 bytes is compared on its first 72 (the rest
   * never reaches Blowfish's key schedule); a hash that is not bcrypt verifies nothing.
   */
  private static boolean verify(String password, byte[] hash) {
    byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
    try {
      return BCrypt.checkpw(bytes.length > 72 ? Arrays.copyOf(bytes, 72) : bytes,
          new String(hash, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** bcrypt at cost 4 (1/64 of the usual 10): compiles its inner loops before a real password arrives. */
  static void warmUp() {
    BCrypt.checkpw("warm-up", "$2a$04$" + "N9qo8uLOickgx2ZMRZoMye");
  }

  private static String digest(String user, String password) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(user.getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(password.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
