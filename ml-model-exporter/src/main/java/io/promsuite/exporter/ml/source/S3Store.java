package io.promsuite.exporter.ml.source;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A model store in an S3 bucket (or MinIO, Ceph...): the same {@code <prefix><model>/<version>/}
 * layout as {@link LocalStore}. Each refresh lists the prefix (ListObjectsV2, all pages); sizes and
 * times come from the listing, and a metadata object is fetched only when its ETag changed, so
 * a refresh of an unchanged store sends listing requests only.
 */
public final class S3Store implements ModelSource {
  private static final Logger LOG = Logger.getLogger(S3Store.class.getName());
  /** Metadata downloads in flight at once: enough to hide latency, few enough to spare the store. */
  private static final int PARALLEL_GETS = 8;

  private final String name;
  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  /** Parsed metadata by object key, valid while the object's ETag is the same. */
  private Map<String, Cached> cache = Map.of();
  private final MetadataHistory history;

  private record Cached(String etag, Metadata metadata) {}

  /** Per-version tally while the listing is read. */
  private static final class Acc {
    long size;
    long newestMillis = Long.MIN_VALUE;
    int artifacts;
    String metadataKey;
    String metadataEtag;
  }

  /**
   * @param prefix key prefix of the store ("" for the whole bucket); a missing trailing slash is added
   */
  public S3Store(String name, S3Client s3, String bucket, String prefix) {
    this.name = name;
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    this.history = new MetadataHistory(name, LOG);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "s3";
  }

  @Override
  public List<ModelReading> read() {
    Map<String, Map<String, Acc>> tree = new TreeMap<>();
    String token = null;
    do {
      ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(bucket);
      if (!prefix.isEmpty()) {
        req.prefix(prefix);
      }
      if (token != null) {
        req.continuationToken(token);
      }
      ListObjectsV2Response page = s3.listObjectsV2(req.build());
      for (S3Object o : page.contents()) {
        add(tree, o);
      }
      token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (token != null);

    Map<String, Cached> nextCache = new ConcurrentHashMap<>();
    Map<String, List<StoreLayout.Version>> models = new TreeMap<>();
    Map<Acc, Metadata[]> fetched = new HashMap<>();
    Semaphore permits = new Semaphore(PARALLEL_GETS);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Map<String, Acc> versions : tree.values()) {
        for (Acc acc : versions.values()) {
          if (acc.artifacts == 0 || acc.metadataKey == null) {
            continue;
          }
          Cached hit = cache.get(acc.metadataKey);
          Metadata[] slot = new Metadata[1];
          fetched.put(acc, slot);
          if (hit != null && hit.etag().equals(acc.metadataEtag)) {
            slot[0] = hit.metadata();
            nextCache.put(acc.metadataKey, hit);
            continue;
          }
          pool.submit(() -> {
            permits.acquireUninterruptibly();
            try {
              slot[0] = fetch(acc.metadataKey, acc.metadataEtag, nextCache);
            } finally {
              permits.release();
            }
          });
        }
      }
    }
    cache = nextCache;
    history.beginRefresh();
    for (Map.Entry<String, Map<String, Acc>> m : tree.entrySet()) {
      List<StoreLayout.Version> versions = new ArrayList<>();
      for (Map.Entry<String, Acc> v : m.getValue().entrySet()) {
        Acc acc = v.getValue();
        if (acc.artifacts == 0) {
          continue;
        }
        Metadata[] slot = fetched.get(acc);
        Metadata md = slot == null ? Metadata.NONE : slot[0];
        String where = acc.metadataKey == null ? "s3://" + bucket + "/" + prefix + m.getKey() + "/" + v.getKey() + "/"
            : "s3://" + bucket + "/" + acc.metadataKey;
        MetadataHistory.Settled settled = history.settle(m.getKey(), v.getKey(), where,
            acc.metadataEtag == null ? "" : acc.metadataEtag, md);
        versions.add(new StoreLayout.Version(v.getKey(), acc.size, acc.newestMillis / 1000.0, settled.metadata(),
            settled.newProblems(), settled.unreadable()));
      }
      models.put(m.getKey(), versions);
    }
    history.endRefresh();
    return StoreLayout.readings(models, Map.of());
  }

  private void add(Map<String, Map<String, Acc>> tree, S3Object o) {
    String rel = o.key().substring(prefix.length());
    String[] parts = rel.split("/", 3);
    if (parts.length < 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty() || parts[2].endsWith("/")) {
      return; // not <model>/<version>/<file>, or a "directory" marker
    }
    Acc acc = tree.computeIfAbsent(parts[0], k -> new TreeMap<>()).computeIfAbsent(parts[1], k -> new Acc());
    String file = parts[2].substring(parts[2].lastIndexOf('/') + 1);
    if (parts[2].equals(file) && Metadata.isMetadataFile(file)) {
      // metadata.json wins over metadata.yaml when both exist.
      if (acc.metadataKey == null || file.endsWith(".json")) {
        acc.metadataKey = o.key();
        acc.metadataEtag = o.eTag();
      }
      return;
    }
    if (StoreLayout.isArtifact(file) && !hiddenDirectory(parts[2])) {
      acc.artifacts++;
      acc.size += o.size() == null ? 0 : o.size();
      if (o.lastModified() != null) {
        acc.newestMillis = Math.max(acc.newestMillis, o.lastModified().toEpochMilli());
      }
    }
  }

  private static boolean hiddenDirectory(String pathInVersion) {
    return pathInVersion.startsWith(".") || pathInVersion.contains("/.");
  }

  private Metadata fetch(String key, String etag, Map<String, Cached> nextCache) {
    String file = key.substring(key.lastIndexOf('/') + 1);
    try {
      byte[] body = s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(key).build()).asByteArray();
      Metadata md = Metadata.parse(file, body);
      nextCache.put(key, new Cached(etag == null ? "" : etag, md));
      return md;
    } catch (SdkException e) {
      // Not cached: the next refresh tries again.
      return Metadata.unreadable("cannot get object: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    s3.close();
  }
}
