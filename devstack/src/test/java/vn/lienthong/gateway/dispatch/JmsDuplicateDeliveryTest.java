package vn.lienthong.gateway.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import vn.lienthong.gateway.channels.ChannelEndpoints;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.gateway.testsupport.TestStack;

/**
 * A round whose JMS sends were committed on the real Artemis but whose outcome never reached the
 * database (an instance killed, the database restarted) is sent again by the next round: the
 * broker's duplicate detection keeps one copy on each recipient's queue, for a round of one and for
 * a batch on one transacted session (refused whole as a duplicate, then sent one by one).
 */
class JmsDuplicateDeliveryTest extends DispatchRouteTestSupport {

    /** The real sender, with JMS sessions on the test stack's Artemis. */
    @Override
    DeliverySender sender(ChannelEndpoints endpoints) {
        return super.sender(endpoints).withJmsSessions(TestStack.get().jmsConnectionFactory());
    }

    @Test
    void aRoundSentAgainAfterItsOutcomeWasLostLeavesOneCopyOnEachQueue() throws Exception {
        String queueA = "dup." + UUID.randomUUID();
        String queueB = "dup." + UUID.randomUUID();
        List<UUID> deliveries = List.of(record("SBV", queueA), record("MOF.CUSTOMS", queueB), record("SBV", queueA));
        firstOutcomeLost();
        context.start();

        Exchange lost = template.send(ROUND, exchange -> { });
        assertThat(lost.getException()).hasRootCauseMessage("database gone");
        assertThat(statuses(deliveries)).containsOnly("PENDING");
        Exchange again = template.send(ROUND, exchange -> { });
        assertThat(again.getException()).isNull();

        assertThat(statuses(deliveries)).containsOnly("DELIVERED");
        assertThat(drain(queueA)).as("copies on " + queueA).hasSize(2).doesNotHaveDuplicates();
        assertThat(drain(queueB)).as("copies on " + queueB).hasSize(1);
    }

    @Test
    void aSingleDeliverySentAgainIsDroppedByTheBrokerAndMarkedDelivered() throws Exception {
        String queue = "dup." + UUID.randomUUID();
        UUID delivery = record("SBV", queue);
        firstOutcomeLost();
        context.start();

        template.send(ROUND, exchange -> { });
        template.send(ROUND, exchange -> { });

        assertThat(statuses(List.of(delivery))).containsExactly("DELIVERED");
        assertThat(drain(queue)).hasSize(1);
    }

    /** A recorded message with one JMS delivery to {@code queue}; returns the delivery's id. */
    private UUID record(String recipient, String queue) {
        return record(recipient, ChannelKind.JMS, queue);
    }

    /** Every message on the queue (until none comes for two seconds), by its delivery id. */
    private static List<String> drain(String queue) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = TestStack.get().jmsConnectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (MessageConsumer consumer = s.createConsumer(s.createQueue(queue))) {
                for (Message m = consumer.receive(10_000); m != null; m = consumer.receive(2_000)) {
                    ids.add(m.getStringProperty(DeliverySender.JMS_DUPLICATE_ID));
                }
            }
        }
        return ids;
    }
}
