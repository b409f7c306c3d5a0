package vn.lienthong.gateway.dispatch;

import java.util.function.Supplier;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes this instance's dispatcher for an urgent delivery just committed (DESIGN §8: a freeze on the
 * recipient's queue within milliseconds), instead of leaving it to the poll's next tick. Best
 * effort: a lost wake only means the poll delivers it. The wake's body is the {@link System#nanoTime}
 * of the commit, so that the latency trace can tell how long the wake waited.
 */
public final class DispatchWake implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchWake.class);

    // Looked up at the first wake: the journal that wakes is built before the Camel context.
    private final Supplier<ProducerTemplate> producer;

    /** A wake sent through the producer {@code producer} supplies when first needed. */
    public DispatchWake(Supplier<ProducerTemplate> producer) {
        this.producer = java.util.Objects.requireNonNull(producer, "producer");
    }

    @Override
    public void run() {
        try {
            producer.get().sendBody(DispatchRoutes.WAKE, System.nanoTime());
        } catch (RuntimeException e) {
            LOG.debug("dispatch wake not sent ({}); the poll delivers", e.getClass().getSimpleName());
        }
    }
}
