package vn.lienthong.gateway.ingress;

import jakarta.jms.JMSException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.apache.camel.component.jms.JmsMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lienthong.gateway.channels.ChannelEndpoints;
import vn.lienthong.gateway.identity.AgencyAuthenticator;
import vn.lienthong.gateway.identity.Authentication;
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
 * One route per agency inbound queue: check the sender's token (string property
 * {@code Authorization}) as of the time the broker accepted the message (its ingress timestamp,
 * when the broker is trusted to stamp it) or else as of now, record in the journal, then send the receipt to the agency's
 * outbound queue (a text message holding the signed receipt, a compact JWS, correlated with the
 * input's JMSMessageID); the receipt and the acknowledgement of the input commit together in the route's
 * JMS transaction, after the journal's commit. A failed commit, or Keycloak out of reach, rolls
 * back: the broker redelivers.
 */
public final class JmsIngressRoutes extends ChannelIngressRoutes {

    /**
     * The core property Artemis sets to the time it accepted a message when the address has
     * {@code enable-ingress-timestamp}, overwriting whatever a producer put there.
     */
    public static final String INGRESS_TIMESTAMP = "_AMQ_INGRESS_TIMESTAMP";

    private static final Logger LOG = LoggerFactory.getLogger(JmsIngressRoutes.class);
    /** Exchange property: the input's JMSMessageID, which its receipts are correlated with. */
    private static final String INPUT_ID = "lienthong.inputId";

    private final boolean brokerStamps;

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

    @Override
    protected ChannelIngressRoutes copy(Registry other) {
        return new JmsIngressRoutes(other, endpoints, recorder, authenticator, brokerStamps);
    }

    @Override
    protected void configure(Agency agency, Channel channel) {
        String queue = channel.inbound().orElseThrow();
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
        route(endpoints.jmsInbound(queue), agency, channel)
                .process(exchange -> identify(exchange, agency, queue, unstampedSaid)).id(IDENTIFY)
                .process(exchange -> checkJms(exchange, source, format)).id(CHECK).description(CHECK_DESCRIPTION)
                .process(exchange -> record(exchange, source)).id(RECORD)
                // The receipts and the acknowledgement of the input commit together in the route's transaction.
                .split(body()).id(RECEIPT)
                    .process(JmsIngressRoutes::receiptMessage).id("receipt-message")
                    .to(endpoints.jmsOutbound(channel.outbound().orElseThrow())).id("receipt-send")
                .end();
    }

    /**
     * The identify step: the sender's token, checked as of the broker's ingress time when the broker
     * is trusted to stamp it (said once if a message has none), else as of now.
     */
    private void identify(Exchange exchange, Agency agency, String queue, AtomicBoolean unstampedSaid)
            throws JMSException {
        // Taken off first: no error log or onward message shows the token.
        Object token = exchange.getMessage().removeHeader(AgencyAuthenticator.AUTHORIZATION);
        Instant acceptedAt = brokerStamps ? acceptedAt(exchange) : null;
        if (brokerStamps && acceptedAt == null && unstampedSaid.compareAndSet(false, true)) {
            LOG.warn("{}: a message of queue {} has no {}: is enable-ingress-timestamp set on the address?"
                    + " Its token is checked at processing time (said once)", routeId(agency), queue,
                    INGRESS_TIMESTAMP);
        }
        exchange.setProperty(IDENTITY, authenticator.bearer(token == null ? null : token.toString(), acceptedAt));
        exchange.setProperty(INPUT_ID, exchange.getMessage().getHeader("JMSMessageID", String.class));
    }

    /**
     * The check step: the bytes as sent, read off the JMS message (the endpoint does not map it): no
     * charset guessed, no object deserialized; a message type without bytes is refused.
     */
    private void checkJms(Exchange exchange, Source source, String format) throws JMSException {
        Authentication identity = exchange.getProperty(IDENTITY, Authentication.class);
        jakarta.jms.Message jms = exchange.getMessage(JmsMessage.class).getJmsMessage();
        Optional<byte[]> body = JmsBodies.bytes(jms);
        IngressRecorder.Input input = body.isPresent() ? new IngressRecorder.Input(body.get(), identity)
                : new IngressRecorder.Input(new byte[0], identity, ValidationError.of(ErrorCode.DECODE_FAILED, "",
                        "a JMS " + JmsBodies.typeOf(jms) + " carries no bytes this channel reads: send a TextMessage"
                                + " or a BytesMessage"));
        exchange.getMessage().setBody(recorder.check(List.of(input), source, format));
    }

    /**
     * One receipt as the message to the agency's outbound queue: the signed receipt (compact JWS),
     * correlated with the input's JMSMessageID.
     */
    private static void receiptMessage(Exchange exchange) {
        Recorded recorded = exchange.getMessage().getBody(Recorded.class);
        // Only what the gateway means to say: the input's properties (a bearer token among
        // them) are not echoed onto the receipt, which names the input by correlation id.
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(recorded.receipt());
        exchange.getMessage().setHeader(ReceiptSigner.JMS_CONTENT_TYPE_PROPERTY, ReceiptSigner.MEDIA_TYPE);
        if (recorded instanceof Recorded.Duplicate) {
            // The original receipt of a resend, byte for byte, with a property that says so.
            exchange.getMessage().setHeader(ReceiptSigner.DUPLICATE_PROPERTY, true);
        }
        String inputId = exchange.getProperty(INPUT_ID, String.class);
        if (inputId != null) {
            exchange.getMessage().setHeader("JMSCorrelationID", inputId);
        }
    }

    /** The broker's ingress timestamp of the consumed message, or null if it has none. */
    private static Instant acceptedAt(Exchange exchange) throws JMSException {
        // Read on the JMS message itself: what Camel maps to headers is not the question here.
        JmsMessage camel = exchange.getMessage(JmsMessage.class);
        jakarta.jms.Message jms = camel == null ? null : camel.getJmsMessage();
        if (jms == null || !jms.propertyExists(INGRESS_TIMESTAMP)) {
            return null;
        }
        Object value = jms.getObjectProperty(INGRESS_TIMESTAMP);
        return value instanceof Long millis ? Instant.ofEpochMilli(millis) : null;
    }
}
