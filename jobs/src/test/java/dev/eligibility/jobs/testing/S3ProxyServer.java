package dev.eligibility.jobs.testing;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real S3 API on loopback: S3Proxy's standalone jar (fetched by the build into
 * {@code target/s3proxy/}) in its own JVM, keeping objects in memory (its {@code transient}
 * store: objects and prefixes as on S3; its file-system stores turn prefixes into directories,
 * which s3a then mistakes for files), listening on a port it picks itself, with credentials made
 * up for this server only. Buckets are made through the S3 API itself.
 */
public final class S3ProxyServer implements AutoCloseable {

  static final Path JAR = Path.of("target", "s3proxy", "s3proxy.jar");
  private static final Pattern STARTED = Pattern.compile("Started ServerConnector@\\S+\\{HTTP/1\\.1[^}]*}\\{127\\.0\\.0\\.1:(\\d+)}");

  private final Process process;
  private final Path log;
  private final int port;
  private final String accessKey;
  private final String secretKey;

  private S3ProxyServer(Process process, Path log, int port, String accessKey, String secretKey) {
    this.process = process;
    this.log = log;
    this.port = port;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  /** Starts a server with the given (empty) buckets; its log and settings go to {@code folder}. */
  public static S3ProxyServer start(Path folder, List<String> buckets) throws IOException, InterruptedException {
    Files.createDirectories(folder);
    String accessKey = "test-" + random(8);
    String secretKey = random(24);
    Path properties = folder.resolve("s3proxy.properties");
    Files.writeString(properties, String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:0",
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + accessKey,
        "s3proxy.credential=" + secretKey,
        "jclouds.provider=transient",
        "jclouds.identity=local",
        "jclouds.credential=local",
        ""));
    Path log = folder.resolve("s3proxy.log");
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-jar", JAR.toAbsolutePath().toString(), "--properties", properties.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (Instant.now().isBefore(deadline)) {
      Matcher started = STARTED.matcher(Files.readString(log));
      if (started.find()) {
        S3ProxyServer server = new S3ProxyServer(process, log, Integer.parseInt(started.group(1)), accessKey, secretKey);
        buckets.forEach(server.client()::createBucket);
        return server;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("S3Proxy exited with " + process.exitValue() + ":\n" + Files.readString(log));
      }
      Thread.sleep(200);
    }
    process.destroyForcibly();
    throw new IllegalStateException("S3Proxy did not start within 2 minutes:\n" + Files.readString(log));
  }

  /** An S3 client of this server (AWS SDK v1, as Hadoop AWS 3.3.4 uses), for setting up and checking tests. */
  public AmazonS3 client() {
    return AmazonS3ClientBuilder.standard()
        .withEndpointConfiguration(new AwsClientBuilder.EndpointConfiguration(endpoint(), "us-east-1"))
        .withPathStyleAccessEnabled(true)
        .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials(accessKey, secretKey)))
        .build();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() throws InterruptedException {

    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  private static String random(int bytes) {
    byte[] value = new byte[bytes];
    new SecureRandom().nextBytes(value);
    return HexFormat.of().formatHex(value);
  }
}
