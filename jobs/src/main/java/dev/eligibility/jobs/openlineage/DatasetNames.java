package dev.eligibility.jobs.openlineage;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Dataset namespace and name for a table location, per OpenLineage's naming conventions: local
 * files {@code file} + absolute path; S3 (s3, s3a, s3n) {@code s3://<bucket>} + key; HDFS and other
 * URIs {@code <scheme>://<authority>} + path.
 *
 * @param namespace the dataset namespace
 * @param name the dataset name
 */
public record DatasetNames(String namespace, String name) {

  /** The names of the table at {@code location} (a local path or a URI). */
  public static DatasetNames of(String location) {
    URI uri = location.contains("://") ? URI.create(location) : null;
    if (uri == null || uri.getScheme() == null || uri.getScheme().equals("file")) {
      String path = uri == null ? location : uri.getPath();
      return new DatasetNames("file", Path.of(path).toAbsolutePath().normalize().toString());
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    String path = stripTrailingSlash(uri.getPath());
    if (scheme.equals("s3") || scheme.equals("s3a") || scheme.equals("s3n")) {
      return new DatasetNames("s3://" + uri.getAuthority(), path.startsWith("/") ? path.substring(1) : path);
    }
    return new DatasetNames(scheme + "://" + uri.getAuthority(), path);
  }

  private static String stripTrailingSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
