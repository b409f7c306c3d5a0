package vn.lienthong.gateway.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.services.s3.S3Client;
import vn.lienthong.gateway.attachments.S3AttachmentStore;

/**
 * A real S3-compatible server on 127.0.0.1 for tests: S3Proxy over jclouds' filesystem backend (a
 * bucket is a folder under {@code target/}), with AWS signature checks on; started once per test
 * JVM, like the other servers of {@link TestStack}.
 */
public final class S3Server implements AutoCloseable {

    /** The access key tests sign with. */
    public static final String ACCESS_KEY = "lienthong-test";
    /** Its secret. */
    public static final String SECRET_KEY = "lienthong-test-secret";
    /** The region the client signs for (S3Proxy accepts any). */
    public static final String REGION = "us-east-1";

    private static volatile S3Server shared;

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final Path folder;
    private final URI endpoint;

    private S3Server(Path folder) throws Exception {
        this.folder = folder;
        Files.createDirectories(folder);
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", folder.toString());
        context = ContextBuilder.newBuilder("filesystem").credentials("identity", "credential").overrides(properties)
                .build(BlobStoreContext.class);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        endpoint = URI.create("http://127.0.0.1:" + port);
        proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        proxy.start();
        Instant until = Instant.now().plus(Duration.ofSeconds(30));
        while (!"STARTED".equals(proxy.getState())) {
            if (Instant.now().isAfter(until)) {
                throw new IllegalStateException("S3Proxy did not start on " + endpoint + ": " + proxy.getState());
            }
            Thread.onSpinWait();
        }
    }

    /** The shared server, started on first call (its folder under the module's target/). */
    public static S3Server shared() {
        S3Server current = shared;
        if (current != null) {
            return current;
        }
        synchronized (S3Server.class) {
            if (shared == null) {
                Path folder = Path.of("target").toAbsolutePath().resolve("test-s3-" + UUID.randomUUID().toString().substring(0, 8));
                try {
                    shared = new S3Server(folder);
                } catch (Exception e) {
                    throw new IllegalStateException("the test S3 server did not start", e);
                }
                S3Server started = shared;
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-s3-shutdown"));
            }
            return shared;
        }
    }

    /** The server's URL. */
    public URI endpoint() {
        return endpoint;
    }

    /** A client of the server, path-style, signing with the test keys (the gateway's own client). */
    public S3Client client() {
        return S3AttachmentStore.client(endpoint.toString(), REGION, ACCESS_KEY, SECRET_KEY);
    }

    /** The gateway's properties for an S3 attachment store in {@code bucket}, created at start. */
    public Map<String, String> gatewayProperties(String bucket) {
        return Map.of("lienthong.attachments.store", "s3",
                "lienthong.attachments.s3.endpoint", endpoint.toString(),
                "lienthong.attachments.s3.region", REGION,
                "lienthong.attachments.s3.bucket", bucket,
                "lienthong.attachments.s3.access-key", ACCESS_KEY,
                "lienthong.attachments.s3.secret-key", SECRET_KEY,
                "lienthong.attachments.s3.create-bucket", "true");
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            System.err.println("the test S3 server did not stop cleanly: " + e);
        }
        context.close();
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + folder + ": " + e);
        }
    }
}
