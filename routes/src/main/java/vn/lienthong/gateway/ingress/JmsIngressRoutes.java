package vn.lienthong.gateway.ingress;

import jakarta.jms.JMSException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lienthong.gateway.channels.ChannelEndpoints;
import vn.lienthong.gateway.channels.JmsBatch;
import vn.lienthong.gateway.dispatch.DispatchBacklog;
import vn.lienthong.gateway.identity.AgencyAuthenticator;
import vn.lienthong.gateway.identity.Authentication;
import vn.lienthong.gateway.journal.JournalEntry;
import vn.lienthong.gateway.journal.Recorded;
import vn.lienthong.gateway.message.Source;
import vn.lienthong.gateway.receipts.ReceiptSigner;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Channel;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.errors.ValidationError;

/**
 * One route per agency inbound queue, consumed in batches ({@code jms-batch}): up to N inputs on
 * one transacted session are one exchange. Each sender's token (string property
 * {@code Authorization}) is checked as of the time the broker accepted its message (its ingress
 * timestamp, when the broker is trusted to stamp it) or else as of now; the batch is recorded in
 * one journal transaction; then each receipt goes to the agency's outbound queue (a text message
 * holding the signed receipt, a compact JWS, correlated with its input's JMSMessageID) on the same
 * session, so the receipts and the acknowledgement of the inputs commit together, after the
 * journal's commit. A failed journal commit, or Keycloak out of reach, rolls the batch back: the
 * broker redelivers it, and the journal answers what it already recorded with the original receipts.
 */
public final class JmsIngressRoutes extends ChannelIngressRoutes {

    /**
     * The core property Artemis sets to the time it accepted a message when the address has
     * {@code enable-ingress-timestamp}, overwriting whatever a producer put there.
     */
    public static final String INGRESS_TIMESTAMP = "_AMQ_INGRESS_TIMESTAMP";

    /**
     * Fault injection for the kill test, never for production: {@code true} halts the JVM
     * ({@link Runtime#halt}) right after a batch's journal commit and its receipts were sent on
     * the session, before the JMS session commits, as a gateway killed there would stop.
     */
    public static final String HALT_AFTER_JOURNAL_COMMIT = "lienthong.test.halt-after-journal-commit";

    /** The exit status of a halt by the fault injection. */
    public static final int HALT_STATUS = 86;

    /** The step the fault injection adds after {@value #RECEIPT} (only when it is on). */
    public static final String FAULT_HALT = "fault-halt-after-journal-commit";

    private static final Logger LOG = LoggerFactory.getLogger(JmsIngressRoutes.class);

    /**
     * The step before {@value #IDENTIFY} when backpressure is on: the batch waits while dispatch's
     * backlog is above its bound ({@link DispatchBacklog}); its inputs stay unacknowledged on the
     * session meanwhile, and the rest on the broker.
     */
    public static final String BACKPRESSURE = "backpressure";

    private final boolean brokerStamps;
    private boolean haltAfterJournalCommit;
    private DispatchBacklog backlog;

    /**
     * Routes for every JMS channel of the registry.
     *
     * @param brokerStamps whether the broker stamps agencies' inbound addresses with its ingress
     *     timestamp (then a token is checked as of that time; otherwise as of processing)
     */
    public JmsIngressRoutes(Registry registry, ChannelEndpoints endpoints, IngressRecorder recorder,
            AgencyAuthenticator authenticator, boolean brokerStamps) {
        super(ChannelKind.JMS, registry, endpoints, recorder, authenticator);
        this.brokerStamps = brokerStamps;
    }

    /**
     * Turns on the fault injection {@value #HALT_AFTER_JOURNAL_COMMIT} (said in the log at ERROR):
     * the first batch that records halts the JVM before its JMS commit. Returns this.
     */
    public JmsIngressRoutes haltAfterJournalCommit(boolean halt) {
        this.haltAfterJournalCommit = halt;
        if (halt) {
            LOG.error("fault injection {}=true: the gateway halts after the journal commit of its first JMS batch"
                    + " (a test setting; never set it in production)", HALT_AFTER_JOURNAL_COMMIT);
        }
        return this;
    }

    /**
     * Backpressure (issue 12 point 3): each batch waits before it is identified while {@code backlog}
     * holds the intake (nothing refused: the inputs wait on the broker). Null or off: no wait. Returns this.
     */
    public JmsIngressRoutes withBackpressure(DispatchBacklog backlog) {
        this.backlog = backlog;
        return this;
    }

    @Override
    protected ChannelIngressRoutes copy(Registry other) {
        return new JmsIngressRoutes(other, endpoints, recorder, authenticator, brokerStamps)
                .haltAfterJournalCommit(haltAfterJournalCommit).withBackpressure(backlog);
    }

    @Override
    protected void configure(Agency agency, Channel channel) {
        String queue = channel.inbound().orElseThrow();
        String outbound = channel.outbound().orElseThrow();
        Source source = source(agency, queue);
        AtomicBoolean unstampedSaid = new AtomicBoolean();
        if (brokerStamps) {
            LOG.info("{}: tokens are checked as of the broker's ingress timestamp ({}) of each message of queue {}",
                    routeId(agency), INGRESS_TIMESTAMP, queue);
        } else {
            LOG.info("{}: the broker's ingress time is not trusted (lienthong.identity.jms-ingress-timestamp=false):"
                    + " tokens on queue {} are checked when the gateway processes the message, so a backlog older"
                    + " than the tokens' lifetime is refused", routeId(agency), queue);
        }
        String format = channel.format().name();
        // One exchange per batch of inputs taken on one transacted session: recorded in one journal
        // transaction, their receipts sent on the same session, acknowledged with one commit.
        var route = route(endpoints.jmsInboundBatches(queue), agency, channel);
        if (backlog != null && backlog.settings().on()) {
            route.process(exchange -> Backpressure.await(backlog, exchange)).id(BACKPRESSURE);
        }
        route.process(exchange -> identify(exchange, agency, queue, unstampedSaid)).id(IDENTIFY)
                .process(exchange -> checkJms(exchange, source, format)).id(CHECK).description(CHECK_DESCRIPTION)
                .process(exchange -> recordEach(exchange, source)).id(RECORD)
                .process(exchange -> receipts(exchange, outbound)).id(RECEIPT);
        if (haltAfterJournalCommit) {
            route.process(exchange -> {
                LOG.error("fault injection: halting after the journal commit of a batch of {} inputs, before the JMS"
                        + " commit", inputs(exchange).size());
                Runtime.getRuntime().halt(HALT_STATUS);
            }).id(FAULT_HALT);
        }
    }


    /**
     * The identify step: each sender's token, checked as of the broker's ingress time when the
     * broker is trusted to stamp it (said once if a message has none), else as of now.
     */
    private void identify(Exchange exchange, Agency agency, String queue, AtomicBoolean unstampedSaid)
            throws JMSException {
        List<Authentication> identities = new ArrayList<>();
        for (jakarta.jms.Message jms : inputs(exchange)) {
            // Read off the JMS message, never mapped to a header: no error log or onward message shows it.
            String token = jms.getStringProperty(AgencyAuthenticator.AUTHORIZATION);
            Instant acceptedAt = brokerStamps ? acceptedAt(jms) : null;
            if (brokerStamps && acceptedAt == null && unstampedSaid.compareAndSet(false, true)) {
                LOG.warn("{}: a message of queue {} has no {}: is enable-ingress-timestamp set on the address?"
                        + " Its token is checked at processing time (said once)", routeId(agency), queue,
                        INGRESS_TIMESTAMP);
            }
            identities.add(authenticator.bearer(token, acceptedAt));
        }
        exchange.setProperty(IDENTITY, identities);
    }

    /**
     * The check step: the bytes as sent, read off each JMS message (the endpoint does not map it):
     * no charset guessed, no object deserialized; a message type without bytes is refused. The body
     * becomes the entries of each input, in order, their receipts signed with one signature.
     */
    private void checkJms(Exchange exchange, Source source, String format) throws JMSException {
        @SuppressWarnings("unchecked")
        List<Authentication> identities = exchange.getProperty(IDENTITY, List.class);
        List<jakarta.jms.Message> inputs = inputs(exchange);
        List<IngressRecorder.Input> held = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            jakarta.jms.Message jms = inputs.get(i);
            Authentication identity = identities.get(i);
            Optional<byte[]> body = JmsBodies.bytes(jms);
            IngressRecorder.Input input = body.isPresent() ? new IngressRecorder.Input(body.get(), identity)
                    : new IngressRecorder.Input(new byte[0], identity, ValidationError.of(ErrorCode.DECODE_FAILED, "",
                            "a JMS " + JmsBodies.typeOf(jms) + " carries no bytes this channel reads: send a TextMessage"
                                    + " or a BytesMessage"));
            held.add(input);
        }
        exchange.getMessage().setBody(recorder.checkEach(held, source, format));
    }

    /** The record step: every input's entries in one journal batch; the body becomes what each recorded. */
    private void recordEach(Exchange exchange, Source source) {
        @SuppressWarnings("unchecked")
        List<List<JournalEntry>> entries = exchange.getMessage().getBody(List.class);
        exchange.getMessage().setBody(recorder.recordEach(entries, source));
    }

    /**
     * The receipt step: each receipt (the signed receipt, a compact JWS) to the agency's outbound
     * queue on the batch's own session, correlated with its input's JMSMessageID; they reach the
     * queue with the batch's commit. Only what the gateway means to say: the input's properties (a
     * bearer token among them) are not echoed.
     */
    private static void receipts(Exchange exchange, String outbound) throws JMSException {
        JmsBatch batch = exchange.getProperty(JmsBatch.PROPERTY, JmsBatch.class);
        @SuppressWarnings("unchecked")
        List<List<Recorded>> recorded = exchange.getMessage().getBody(List.class);
        List<jakarta.jms.Message> inputs = batch.messages();
        for (int i = 0; i < inputs.size(); i++) {
            String inputId = inputs.get(i).getJMSMessageID();
            for (Recorded r : recorded.get(i)) {
                String mediaType = ReceiptSigner.mediaType(r.receipt());
                Map<String, Object> properties = r instanceof Recorded.Duplicate
                        // The original receipt of a resend, byte for byte, with a property that says so.
                        ? Map.of(ReceiptSigner.JMS_CONTENT_TYPE_PROPERTY, mediaType, ReceiptSigner.DUPLICATE_PROPERTY, true)
                        : Map.of(ReceiptSigner.JMS_CONTENT_TYPE_PROPERTY, mediaType);
                batch.sendText(outbound, new String(r.receipt(), StandardCharsets.US_ASCII), properties, inputId);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<jakarta.jms.Message> inputs(Exchange exchange) {
        return exchange.getProperty(JmsBatch.PROPERTY, JmsBatch.class).messages();
    }

    /** The broker's ingress timestamp of a consumed message, or null if it has none. */
    private static Instant acceptedAt(jakarta.jms.Message jms) throws JMSException {
        if (!jms.propertyExists(INGRESS_TIMESTAMP)) {
            return null;
        }
        Object value = jms.getObjectProperty(INGRESS_TIMESTAMP);
        return value instanceof Long millis ? Instant.ofEpochMilli(millis) : null;
    }
}
