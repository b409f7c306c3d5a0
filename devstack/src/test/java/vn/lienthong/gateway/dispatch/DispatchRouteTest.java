package vn.lienthong.gateway.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionTemplate;
import vn.lienthong.gateway.journal.Entries;
import vn.lienthong.gateway.journal.JdbcJournal;
import vn.lienthong.gateway.journal.JournalEntry;

/**
 * The dispatch routes on a real PostgreSQL, observed with Camel's test kit: the deliver step
 * advised (AdviceWith) to fail, then to deliver, and the outcome step seen recording the failed
 * attempt, its retry and the delivery; a round whose outcome step fails rolls back its claim; the
 * poller's first tick awaited with a NotifyBuilder. The encode step is the real one (canonical JSON).
 */
class DispatchRouteTest extends DispatchRouteTestSupport {

    /** Rounds the advised deliver step was handed deliveries in. */
    private final AtomicInteger deliverCalls = new AtomicInteger();

    @Test
    void aFailingDeliverStepIsRecordedByTheOutcomeStepAndRetriedInTheNextRound() throws Exception {
        UUID delivery = recordMessageFor("MPS.C03");
        roundsByHand();
        AdviceWith.adviceWith(context, DispatchRoutes.ROUND_ROUTE, a -> a.weaveById(DispatchRoutes.DELIVER).replace()
                .process(exchange -> {
                    if (calls(exchange) == 1) {
                        throw new IOException("the recipient's broker is down");
                    }
                    deliverAll(exchange);
                }));
        context.start();

        Exchange first = template.send(ROUND, exchange -> { });
        assertThat(first.getException()).isNull();
        Map<String, Object> row = db.queryForMap("select status, attempts, last_error from delivery where id = ?",
                delivery);
        assertThat(row).containsEntry("status", "PENDING").containsEntry("attempts", 1)
                .containsEntry("last_error", "sender error: IOException");
        assertThat(actions()).containsExactly("MESSAGE_ACCEPTED", "DELIVERY_ATTEMPT_FAILED");

        template.send(ROUND, exchange -> { });
        assertThat(db.queryForMap("select status, attempts from delivery where id = ?", delivery))
                .containsEntry("status", "DELIVERED").containsEntry("attempts", 2);
        assertThat(db.queryForList("select outcome from delivery_attempt_history where delivery_id = ? order by attempt",
                String.class, delivery)).containsExactly("ERROR", "DELIVERED");
        assertThat(actions()).containsExactly("MESSAGE_ACCEPTED", "DELIVERY_ATTEMPT_FAILED", "DELIVERED");
    }

    @Test
    void aRoundWhoseOutcomeStepFailsRollsBackItsClaimSoTheDeliveryIsSentAgain() throws Exception {
        UUID delivery = recordMessageFor("SBV");
        roundsByHand();
        AdviceWith.adviceWith(context, DispatchRoutes.ROUND_ROUTE, a -> {
            a.weaveById(DispatchRoutes.DELIVER).replace().process(DispatchRouteTest::deliverAll);
            // The database goes away after the send: the outcome is never committed.
            a.weaveById(DispatchRoutes.OUTCOME).before().throwException(new IllegalStateException("database gone"));
        });
        context.start();

        Exchange round = template.send(ROUND, exchange -> { });
        assertThat(round.getException()).hasRootCauseMessage("database gone");
        assertThat(db.queryForMap("select status, attempts from delivery where id = ?", delivery))
                .containsEntry("status", "PENDING").containsEntry("attempts", 0);
        assertThat(db.queryForObject("select count(*) from delivery_attempt", Integer.class)).isZero();
        // Not locked any more: another round (another gateway instance) claims it.
        assertThat(claimInOwnTransaction()).extracting(DueDelivery::id).containsExactly(delivery);
    }

    @Test
    void thePollersFirstTickDeliversWhatIsDue() throws Exception {
        UUID first = recordMessageFor("MPS.C03");
        UUID second = recordMessageFor("MOF.CUSTOMS");
        AdviceWith.adviceWith(context, DispatchRoutes.ROUND_ROUTE, a -> a.weaveById(DispatchRoutes.DELIVER).replace()
                .process(DispatchRouteTest::deliverAll));
        NotifyBuilder tick = new NotifyBuilder(context).fromRoute(DispatchRoutes.ROUTE).whenDone(1).create();
        context.start();

        assertThat(tick.matches(30, TimeUnit.SECONDS)).as("the poller's first tick is done").isTrue();
        assertThat(db.queryForList("select status from delivery where id in (?, ?)", String.class, first, second))
                .containsExactly("DELIVERED", "DELIVERED");
    }

    /** A recorded message with one delivery to the recipient's Kafka topic; returns the delivery's id. */
    private UUID recordMessageFor(String recipient) {
        JournalEntry.Accepted entry = Entries.accepted("MOIT.DMS", UUID.randomUUID(), "receipt",
                Entries.push(recipient, null));
        new JdbcJournal(ds).record(List.of(entry));
        return entry.deliveries().get(0).id();
    }

    /** The advised deliver step: how many times it was handed deliveries so far (this one included), or 0. */
    private int calls(Exchange exchange) {
        DispatchRound round = exchange.getMessage().getBody(DispatchRound.class);
        return round.pending().isEmpty() ? 0 : deliverCalls.incrementAndGet();
    }

    /** An advised deliver step that delivers every encoded delivery. */
    private static void deliverAll(Exchange exchange) {
        DispatchRound round = exchange.getMessage().getBody(DispatchRound.class);
        assertThat(round.pending()).allSatisfy(d -> assertThat(round.encoded(d.id())).as("encoded").isNotNull());
        round.pending().forEach(d -> round.outcome(new DeliveryOutcome.Delivered(d.id())));
    }

    private List<DueDelivery> claimInOwnTransaction() {
        return new TransactionTemplate(transactions).execute(status -> outbox.claim(10));
    }

    private List<String> actions() {
        return db.queryForList("select action from audit order by seq", String.class);
    }
}
