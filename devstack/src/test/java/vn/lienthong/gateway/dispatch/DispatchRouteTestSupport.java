package vn.lienthong.gateway.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.spi.Registry;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
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

/**
 * The dispatch routes under Camel's test kit on a clean real PostgreSQL, as the dispatch tests share
 * them: the round's transaction policy bound, the routes advised before the context starts, the
 * round driven by hand through {@link #ROUND}; a test picks its sender with {@link #sender}.
 */
abstract class DispatchRouteTestSupport extends CamelTestSupport {

    /** Three attempts, retried at once: a round after a failure claims the delivery again. */
    static final GatewaySettings.Dispatch SETTINGS = new GatewaySettings.Dispatch(true, 10,
            Duration.ofMillis(50), 3, Duration.ZERO, 1.0, Duration.ZERO, Duration.ofHours(24));
    /** One dispatch round, sent by the test. */
    static final String ROUND = "direct:" + DispatchRoutes.ROUND_ROUTE;

    DataSource ds;
    JdbcTemplate db;
    DataSourceTransactionManager transactions;
    JdbcOutbox outbox;
    /** Outcome steps reached so far (counted by {@link #firstOutcomeLost}). */
    final AtomicInteger outcomes = new AtomicInteger();

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        // The routes are advised before the context starts.
        configuration.withUseAdviceWith(true);
    }

    @Override
    protected void doPreSetup() {
        ds = TestDatabase.clean();
        db = new JdbcTemplate(ds);
        transactions = new DataSourceTransactionManager(ds);
        outbox = new JdbcOutbox(ds, transactions, new RetryPolicy(SETTINGS.maxAttempts(), SETTINGS.initialDelay(),
                SETTINGS.multiplier(), SETTINGS.maxDelay()));
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
        return new DispatchRoutes(outbox, sender(new ChannelEndpoints(settings)), SETTINGS);
    }

    /** The rounds' sender: the real one on the project's connectors, without JMS sessions unless a test adds them. */
    DeliverySender sender(ChannelEndpoints endpoints) {
        return new DeliverySender(null, endpoints, Connectors.discover());
    }

    /** Rounds run only when the test sends {@link #ROUND}: the poller's timer and the urgent lane's tick are replaced. */
    void roundsByHand() throws Exception {
        AdviceWith.adviceWith(context, DispatchRoutes.ROUTE, a -> a.replaceFromWith("direct:tick"));
        AdviceWith.adviceWith(context, DispatchRoutes.URGENT_TICK_ROUTE, a -> a.replaceFromWith("direct:urgent-tick"));
    }

    /** Rounds by hand; the database goes away after the first round's sends: its outcomes are never committed. */
    void firstOutcomeLost() throws Exception {
        roundsByHand();
        AdviceWith.adviceWith(context, DispatchRoutes.ROUND_ROUTE, a -> a.weaveById(DispatchRoutes.OUTCOME).before()
                .process(exchange -> {
                    if (outcomes.incrementAndGet() == 1) {
                        throw new IllegalStateException("database gone");
                    }
                }));
    }

    /** A recorded message from MOIT.DMS with one delivery to {@code address} on {@code channel}; returns the delivery's id. */
    UUID record(String recipient, ChannelKind channel, String address) {
        PlannedDelivery delivery = new PlannedDelivery(UUID.randomUUID(), recipient, channel, address,
                "canonical-json", null);
        JournalEntry.Accepted entry = Entries.accepted("MOIT.DMS", UUID.randomUUID(), "receipt", delivery);
        new JdbcJournal(ds).record(List.of(entry));
        return delivery.id();
    }

    /** The deliveries' statuses, in their order. */
    List<String> statuses(List<UUID> deliveries) {
        List<String> statuses = new ArrayList<>();
        for (UUID id : deliveries) {
            statuses.add(db.queryForObject("select status from delivery where id = ?", String.class, id));
        }
        return statuses;
    }
}
