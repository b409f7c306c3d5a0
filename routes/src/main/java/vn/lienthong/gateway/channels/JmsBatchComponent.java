package vn.lienthong.gateway.channels;

import jakarta.jms.ConnectionFactory;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.springframework.jms.connection.SingleConnectionFactory;

/**
 * Camel component {@code jms-batch:QUEUE?size=N&timeoutMillis=T&consumers=C}: consumes a JMS queue
 * in batches, each of up to N messages (collected for at most T ms after the first) on one
 * transacted session, handed to the route as one exchange ({@link JmsBatch}); the session commits
 * when the route completes and rolls back when it fails, as the retired sjms-batch component of
 * Camel 2 did. A route thus records a whole batch in one journal transaction, sends its receipts on
 * the same session and acknowledges it with one commit.
 */
public final class JmsBatchComponent extends DefaultComponent {

    /** The component's scheme. */
    public static final String SCHEME = "jms-batch";

    private final ConnectionFactory connectionFactory;

    /**
     * A component whose consumers take their connections from {@code connectionFactory}; of a
     * Spring caching (single-connection) factory, its target: each consumer thread owns its
     * connection and session, and closing them really releases what the broker sent ahead.
     */
    public JmsBatchComponent(ConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory instanceof SingleConnectionFactory single
                && single.getTargetConnectionFactory() != null ? single.getTargetConnectionFactory() : connectionFactory;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException(uri + ": a queue name is required (jms-batch:QUEUE)");
        }
        int size = getAndRemoveParameter(parameters, "size", Integer.class, 500);
        long timeout = getAndRemoveParameter(parameters, "timeoutMillis", Long.class, 100L);
        int consumers = getAndRemoveParameter(parameters, "consumers", Integer.class, 4);
        if (size < 1 || timeout < 0 || consumers < 1) {
            throw new IllegalArgumentException(uri + ": size and consumers must be at least 1, timeoutMillis not negative");
        }
        return new JmsBatchEndpoint(uri, this, connectionFactory, remaining, size, Duration.ofMillis(timeout), consumers);
    }
}
