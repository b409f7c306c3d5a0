package vn.lienthong.gateway.channels;

import jakarta.jms.ConnectionFactory;
import java.time.Duration;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** A queue consumed in transacted batches ({@link JmsBatchComponent}); consumer only. */
final class JmsBatchEndpoint extends DefaultEndpoint {

    private final ConnectionFactory connectionFactory;
    private final String queue;
    private final int size;
    private final Duration timeout;
    private final int consumers;

    JmsBatchEndpoint(String uri, JmsBatchComponent component, ConnectionFactory connectionFactory, String queue,
            int size, Duration timeout, int consumers) {
        super(uri, component);
        this.connectionFactory = connectionFactory;
        this.queue = queue;
        this.size = size;
        this.timeout = timeout;
        this.consumers = consumers;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("jms-batch endpoints only consume; send with the jms component");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        JmsBatchConsumer consumer = new JmsBatchConsumer(this, processor, connectionFactory, queue, size, timeout,
                consumers);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public boolean isSingleton() {
        return true;
    }
}
