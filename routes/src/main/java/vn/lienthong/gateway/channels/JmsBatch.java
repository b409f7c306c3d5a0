package vn.lienthong.gateway.channels;

import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One batch of JMS messages consumed on one transacted session ({@link JmsBatchComponent}): the
 * messages, and a way to send on that same session, so that what a route sends (receipts) commits
 * with the acknowledgement of the batch, or not at all.
 */
public final class JmsBatch {

    /** Exchange property holding the batch of an exchange that a {@code jms-batch} consumer made. */
    public static final String PROPERTY = "lienthong.jmsBatch";

    private final Session session;
    private final MessageProducer producer;
    private final List<Message> messages;
    private final Map<String, Queue> queues = new HashMap<>();

    JmsBatch(Session session, MessageProducer producer, List<Message> messages) {
        this.session = session;
        this.producer = producer;
        this.messages = List.copyOf(messages);
    }

    /** The messages, in the order the broker handed them. */
    public List<Message> messages() {
        return messages;
    }

    /**
     * Sends a persistent text message to {@code queue} on the batch's session: it reaches the queue
     * only if the batch commits.
     *
     * @param properties JMS properties (String, Boolean, Long, Integer values)
     * @param correlationId the JMSCorrelationID, or null
     */
    public void sendText(String queue, String text, Map<String, Object> properties, String correlationId)
            throws JMSException {
        TextMessage message = session.createTextMessage(text);
        for (Map.Entry<String, Object> p : properties.entrySet()) {
            message.setObjectProperty(p.getKey(), p.getValue());
        }
        if (correlationId != null) {
            message.setJMSCorrelationID(correlationId);
        }
        Queue destination = queues.get(queue);
        if (destination == null) {
            destination = session.createQueue(queue);
            queues.put(queue, destination);
        }
        producer.send(destination, message, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY,
                Message.DEFAULT_TIME_TO_LIVE);
    }
}
