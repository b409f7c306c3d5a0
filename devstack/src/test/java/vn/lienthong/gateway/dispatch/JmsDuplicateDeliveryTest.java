package vn.lienthong.gateway.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.spi.Registry;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import vn.lienthong.connectors.spi.Connectors;
import vn.lienthong.gateway.channels.ChannelEndpoints;
import vn.lienthong.gateway.channels.GatewaySettings;
import vn.lienthong.gateway.journal.Entries;
import vn.lienthong.gateway.journal.JdbcJournal;
import vn.lienthong.gateway.journal.JournalEntry;
import vn.lienthong.gateway.journal.TestDatabase;
import vn.lienthong.gateway.message.PlannedDelivery;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.gateway.testsupport.TestStack;

/**
 * A round whose JMS sends were committed on the real Artemis but whose outcome never reached the
 * database (an instance killed, the database restarted) is sent again by the next round: the
 * broker's duplicate detection keeps one copy on each recipient's queue, for a round of one and for
 * a batch on one transacted session (refused whole as a duplicate, then sent one by one).
 */
class JmsDuplicateDeliveryTest extends CamelTestSupport {

    private static final GatewaySettings.Dispatch SETTINGS = new GatewaySettings.Dispatch(true, 10,
            Duration.ofMillis(50), 3, Duration.ZERO, 1.0, Duration.ZERO, Duration.ofHours(24));
    private static final String ROUND = "direct:" + DispatchRoutes.ROUND_ROUTE;

    private DataSource ds;
    private JdbcTemplate db;
    private DataSourceTransactionManager transactions;
    private final AtomicInteger outcomes = new AtomicInteger();

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withUseAdviceWith(true);
    }

    @Override
    protected void doPreSetup() {
        ds = TestDatabase.clean();
        db = new JdbcTemplate(ds);
        transactions = new DataSourceTransactionManager(ds);
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        TransactionTemplate template = new TransactionTemplate(transactions);
        template.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        registry.bind(DispatchRoutes.TRANSACTION, new SpringTransactionPolicy(template));
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        GatewaySettings settings = new GatewaySettings(null, 0, null, null, null, null, null, null,
                new GatewaySettings.ChannelLimits(10_485_760, 10_485_760, 983_040, 104_857_600));
        DeliverySender sender = new DeliverySender(null, new ChannelEndpoints(settings), Connectors.discover())
                .withJmsSessions(TestStack.get().jmsConnectionFactory());
        JdbcOutbox outbox = new JdbcOutbox(ds, transactions, new RetryPolicy(SETTINGS.maxAttempts(),
                SETTINGS.initialDelay(), SETTINGS.multiplier(), SETTINGS.maxDelay()));
        return new DispatchRoutes(outbox, sender, SETTINGS);
    }

    @Test
    void aRoundSentAgainAfterItsOutcomeWasLostLeavesOneCopyOnEachQueue() throws Exception {
        String queueA = "dup." + UUID.randomUUID();
        String queueB = "dup." + UUID.randomUUID();
        List<UUID> deliveries = List.of(record("SBV", queueA), record("MOF.CUSTOMS", queueB), record("SBV", queueA));
        AdviceWith.adviceWith(context, DispatchRoutes.ROUTE, a -> a.replaceFromWith("direct:tick"));
        // The urgent lane's own tick would run rounds (and count outcomes) of its own.
        AdviceWith.adviceWith(context, DispatchRoutes.URGENT_TICK_ROUTE, a -> a.replaceFromWith("direct:urgent-tick"));
        // The database goes away after the first round's sends: its outcomes are never committed.
        AdviceWith.adviceWith(context, DispatchRoutes.ROUND_ROUTE, a -> a.weaveById(DispatchRoutes.OUTCOME).before()
                .process(exchange -> {
                    if (outcomes.incrementAndGet() == 1) {
                        throw new IllegalStateException("database gone");
                    }
                }));
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
        AdviceWith.adviceWith(context, DispatchRoutes.ROUTE, a -> a.replaceFromWith("direct:tick"));
        // The urgent lane's own tick would run rounds (and count outcomes) of its own.
        AdviceWith.adviceWith(context, DispatchRoutes.URGENT_TICK_ROUTE, a -> a.replaceFromWith("direct:urgent-tick"));
        AdviceWith.adviceWith(context, DispatchRoutes.ROUND_ROUTE, a -> a.weaveById(DispatchRoutes.OUTCOME).before()
                .process(exchange -> {
                    if (outcomes.incrementAndGet() == 1) {
                        throw new IllegalStateException("database gone");
                    }
                }));
        context.start();

        template.send(ROUND, exchange -> { });
        template.send(ROUND, exchange -> { });

        assertThat(statuses(List.of(delivery))).containsExactly("DELIVERED");
        assertThat(drain(queue)).hasSize(1);
    }

    /** A recorded message with one JMS delivery to {@code queue}; returns the delivery's id. */
    private UUID record(String recipient, String queue) {
        PlannedDelivery delivery = new PlannedDelivery(UUID.randomUUID(), recipient, ChannelKind.JMS, queue,
                "canonical-json", null);
        JournalEntry.Accepted entry = Entries.accepted("MOIT.DMS", UUID.randomUUID(), "receipt", delivery);
        new JdbcJournal(ds).record(List.of(entry));
        return delivery.id();
    }

    private List<String> statuses(List<UUID> deliveries) {
        List<String> statuses = new ArrayList<>();
        for (UUID id : deliveries) {
            statuses.add(db.queryForObject("select status from delivery where id = ?", String.class, id));
        }
        return statuses;
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
