package io.promsuite.pushgateway;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A directory of requests that could not be delivered, kept in order until they can be.
 *
 * <p>Each entry is one file, {@code <sequence>.push}, written to a temporary file, forced to disk and
 * renamed into place, then the directory is forced: once {@link #append} returns, the entry survives
 * a crash. Leftover temporary files belong to appends that never returned and are removed. A PUT or
 * DELETE makes every earlier entry for the same group irrelevant; those are dropped when it is
 * appended, and again when reading in case a crash came between the rename and the deletions.
 *
 * <p>Processes sharing a directory take turns through a file lock; use one {@code Spool} per
 * directory in a JVM.
 */
public final class Spool {

  /** One spooled request and the file that holds it. */
  public record Entry(long sequence, Path file, PushRequest request) {}

  private static final String MAGIC = "promsuite-pushgateway-spool 1";
  private static final String SUFFIX = ".push";
  private static final String TEMP_SUFFIX = ".part";

  private final Path dir;
  private final long maxBytes;
  private final ReentrantLock threadLock = new ReentrantLock();
  private final List<String> unreadable = new ArrayList<>();

  /**
   * Opens (creating if needed) a spool directory.
   *
   * @param maxBytes the bound on the total size of all entry files
   */
  public Spool(Path dir, long maxBytes) throws IOException {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("spool size bound must be positive, got " + maxBytes);
    }
    this.dir = dir.toAbsolutePath();
    this.maxBytes = maxBytes;
    Files.createDirectories(this.dir);
    try (Locked ignored = lock(); DirectoryStream<Path> tmp = Files.newDirectoryStream(this.dir, "*" + TEMP_SUFFIX)) {
      for (Path p : tmp) {
        Files.deleteIfExists(p); // an append that crashed before its rename: never acknowledged
      }
    }
  }

  public Path directory() {
    return dir;
  }

  /** Holds the spool for one thread and one process until closed. */
  public final class Locked implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock fileLock;

    private Locked() throws IOException {
      threadLock.lock();
      try {
        channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        fileLock = channel.lock();
      } catch (IOException | RuntimeException e) {
        threadLock.unlock();
        throw e;
      }
    }

    @Override
    public void close() throws IOException {
      try {
        fileLock.release();
        channel.close();
      } finally {
        threadLock.unlock();
      }
    }
  }

  /** Takes the spool's lock; every other method expects the caller to hold it. */
  public Locked lock() throws IOException {
    return new Locked();
  }

  /**
   * The entries to deliver, oldest first, without the ones a later PUT or DELETE to the same group
   * has made irrelevant (their files are removed).
   */
  public List<Entry> entries() throws IOException {
    List<Entry> all = readAll();
    List<Entry> live = new ArrayList<>(all.size());
    Set<String> replacedLater = new HashSet<>();
    for (int i = all.size() - 1; i >= 0; i--) {
      Entry e = all.get(i);
      if (replacedLater.contains(e.request().path())) {
        Files.deleteIfExists(e.file());
        continue;
      }
      if (e.request().method().replacesGroup()) {
        replacedLater.add(e.request().path());
      }
      live.addFirst(e);
    }
    return live;
  }

  /**
   * Adds a request after every existing entry, durably.
   *
   * @return the number of entries now waiting
   * @throws SpoolFullException when the spool would pass its size bound
   */
  public int append(PushRequest request) throws IOException {
    List<Entry> existing = entries();
    List<Entry> superseded = new ArrayList<>();
    long bytes = 0;
    for (Entry e : existing) {
      if (request.method().replacesGroup() && e.request().path().equals(request.path())) {
        superseded.add(e);
      } else {
        bytes += Files.size(e.file());
      }
    }
    byte[] header = header(request);
    long size = header.length + (long) request.body().length;
    if (bytes + size > maxBytes) {
      throw new SpoolFullException("spool " + dir + " holds " + bytes + " bytes in "
          + (existing.size() - superseded.size()) + " entries; " + request.describe() + " needs " + size
          + " more, past its bound of " + maxBytes + " bytes. Nothing was spooled: deliver the spool"
          + " with flush or raise the bound.", null);
    }
    long sequence = existing.isEmpty() ? nextSequenceAfterFiles() : existing.getLast().sequence() + 1;
    Path target = dir.resolve(String.format("%020d%s", sequence, SUFFIX));
    Path temp = dir.resolve(String.format("%020d%s", sequence, TEMP_SUFFIX));
    try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      ch.write(new ByteBuffer[] {ByteBuffer.wrap(header), ByteBuffer.wrap(request.body())});
      ch.force(true);
    }
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.deleteIfExists(temp);
      throw new IOException("spool " + dir + " is on a file system without atomic rename", e);
    }
    forceDirectory();
    for (Entry e : superseded) {
      Files.deleteIfExists(e.file());
    }
    return existing.size() - superseded.size() + 1;
  }

  /** Messages about damaged entry files moved to {@code rejected/} since the last call. */
  public List<String> takeUnreadable() {
    List<String> taken = List.copyOf(unreadable);
    unreadable.clear();
    return taken;
  }

  /** Removes an entry that was delivered. */
  public void remove(Entry entry) throws IOException {
    Files.deleteIfExists(entry.file());
    forceDirectory();
  }

  /** Moves an entry the gateway refused into {@code rejected/}, out of the delivery order. */
  public Path reject(Entry entry) throws IOException {
    Path rejected = Files.createDirectories(dir.resolve("rejected"));
    Path target = rejected.resolve(entry.file().getFileName());
    Files.move(entry.file(), target, StandardCopyOption.ATOMIC_MOVE);
    forceDirectory();
    return target;
  }

  private List<Entry> readAll() throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      ds.forEach(files::add);
    }
    files.sort(null); // zero-padded sequence numbers sort in order
    List<Entry> entries = new ArrayList<>(files.size());
    for (Path f : files) {
      try {
        entries.add(read(f));
      } catch (IOException e) {
        // A damaged entry must not block the ones behind it: it goes aside, and flush reports it.
        Path target = Files.createDirectories(dir.resolve("rejected")).resolve(f.getFileName());
        Files.move(f, target, StandardCopyOption.ATOMIC_MOVE);
        unreadable.add(e.getMessage() + " (moved to " + target + ")");
      }
    }
    return entries;
  }

  private long nextSequenceAfterFiles() throws IOException {
    // Keeps numbers growing across a spool that was emptied, so rejected/ names never collide.
    long max = 0;
    Path rejected = dir.resolve("rejected");
    if (Files.isDirectory(rejected)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(rejected, "*" + SUFFIX)) {
        for (Path p : ds) {
          max = Math.max(max, sequenceOf(p));
        }
      }
    }
    return max + 1;
  }

  private static long sequenceOf(Path file) {
    String name = file.getFileName().toString();
    try {
      return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static byte[] header(PushRequest r) {
    return (MAGIC + "\nmethod " + r.method() + "\npath " + r.path() + "\ncontent-type " + r.contentType() + "\n\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static Entry read(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    int end = indexOfBlankLine(all);
    String[] lines = end < 0 ? new String[0] : new String(all, 0, end, StandardCharsets.UTF_8).split("\n");
    if (lines.length != 4 || !lines[0].equals(MAGIC) || !lines[1].startsWith("method ")
        || !lines[2].startsWith("path ") || !lines[3].startsWith("content-type ")) {
      throw new IOException("spool entry " + file + " is not a " + MAGIC + " file");
    }
    PushMethod method;
    try {
      method = PushMethod.valueOf(lines[1].substring("method ".length()));
    } catch (IllegalArgumentException e) {
      throw new IOException("spool entry " + file + " has an unknown method: " + lines[1], e);
    }
    byte[] body = java.util.Arrays.copyOfRange(all, end + 2, all.length);
    PushRequest request = new PushRequest(method, lines[2].substring("path ".length()),
        lines[3].substring("content-type ".length()), body);
    return new Entry(sequenceOf(file), file, request);
  }

  private static int indexOfBlankLine(byte[] b) {
    for (int i = 0; i + 1 < b.length; i++) {
      if (b[i] == '\n' && b[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private void forceDirectory() throws IOException {
    // The rename or deletion is only durable once the directory itself is on disk.
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
