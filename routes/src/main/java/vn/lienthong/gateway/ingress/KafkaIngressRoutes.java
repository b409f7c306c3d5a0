package vn.lienthong.gateway.ingress;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import vn.lienthong.gateway.dispatch.DispatchBacklog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lienthong.gateway.channels.ChannelEndpoints;
import vn.lienthong.gateway.identity.AgencyAuthenticator;
import vn.lienthong.gateway.journal.Recorded;
import vn.lienthong.gateway.message.Source;
import vn.lienthong.gateway.receipts.ReceiptSigner;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Channel;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.gateway.channels.LogAppendTimeStamper;

/**
 * One route per agency inbound topic: each record's sender is checked by its token (record header
 * {@code Authorization}, UTF-8) as of the broker's append time when the topic is
 * {@code LogAppendTime} (see {@link LogAppendTimeStamper}), else as of now; each poll is recorded
 * as one journal batch, then its offsets are committed, then the receipts (each record a compact JWS) go to the agency's outbound topic.
 * A crash before the offset commit replays the batch, which the journal recognizes as duplicates;
 * so does Keycloak out of reach (no offset is committed).
 */
public final class KafkaIngressRoutes extends ChannelIngressRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaIngressRoutes.class);
    /** Step: the poll's offsets committed, after the journal's commit. */
    public static final String ACKNOWLEDGE = "acknowledge";
    /** Exchange property: the poll's manual commit. */
    private static final String COMMIT = "lienthong.kafkaCommit";

    private final ProducerTemplate producer;
    private DispatchBacklog backlog;

    /** Routes for every Kafka channel of the registry. */
    public KafkaIngressRoutes(Registry registry, ChannelEndpoints endpoints, IngressRecorder recorder,
            AgencyAuthenticator authenticator, ProducerTemplate producer) {
        super(ChannelKind.KAFKA, registry, endpoints, recorder, authenticator);
        this.producer = producer;
    }

    /**
     * Backpressure (issue 12 point 3): each poll waits before it is identified while {@code backlog}
     * holds the intake, at most its maximum wait at a time (kept under the consumer's
     * {@code max.poll.interval.ms}, 5 minutes by default); the records stay on the topic, their offsets
     * uncommitted. Null or off: no wait. Returns this.
     */
    public KafkaIngressRoutes withBackpressure(DispatchBacklog backlog) {
        this.backlog = backlog;
        return this;
    }

    @Override
    protected ChannelIngressRoutes copy(Registry other) {
        return new KafkaIngressRoutes(other, endpoints, recorder, authenticator, producer).withBackpressure(backlog);
    }

    @Override
    protected void configure(Agency agency, Channel channel) {
        String topic = channel.inbound().orElseThrow();
        Source source = source(agency, topic);
        String receipts = endpoints.kafkaOutbound(channel.outbound().orElseThrow());
        String routeId = routeId(agency);
        LOG.info("{}: tokens are checked as of the broker's append time of each record of topic {} when the topic"
                + " has message.timestamp.type=LogAppendTime, otherwise when the gateway processes the record",
                routeId, topic);
        AtomicBoolean createTimeSaid = new AtomicBoolean();
        String format = channel.format().name();
        var route = route(endpoints.kafkaInbound(topic), agency, channel);
        if (backlog != null && backlog.settings().on()) {
            route.process(exchange -> Backpressure.await(backlog, exchange)).id(JmsIngressRoutes.BACKPRESSURE);
        }
        route.process(exchange -> identify(exchange, routeId, topic, createTimeSaid)).id(IDENTIFY)
                .process(exchange -> check(exchange, source, format)).id(CHECK).description(CHECK_DESCRIPTION)
                .process(exchange -> record(exchange, source)).id(RECORD)
                .process(KafkaIngressRoutes::commitOffsets).id(ACKNOWLEDGE)
                .process(exchange -> receipts(exchange, source, receipts)).id(RECEIPT);
    }

    /**
     * The identify step of a poll: every record's token taken off (no error log shows one, whichever
     * record fails) and checked as of the broker's append time, if the record has one; the body
     * becomes the inputs. An empty poll ends here.
     */
    private void identify(Exchange batch, String routeId, String topic, AtomicBoolean createTimeSaid) throws Exception {
        List<?> records = batch.getMessage().getBody(List.class);
        if (records == null || records.isEmpty()) {
            batch.setRouteStop(true);
            return;
        }
        List<String> authorizations = new ArrayList<>(records.size());
        List<Instant> appendTimes = new ArrayList<>(records.size());
        for (Object r : records) {
            Object token = ((Exchange) r).getMessage().removeHeader(AgencyAuthenticator.AUTHORIZATION);
            authorizations.add(token instanceof byte[] b ? new String(b, StandardCharsets.UTF_8)
                    : token == null ? null : token.toString());
            Instant appended = appendTime(((Exchange) r).getMessage().removeHeader(LogAppendTimeStamper.HEADER));
            if (appended == null && createTimeSaid.compareAndSet(false, true)) {
                LOG.warn("{}: records of topic {} carry no broker append time (the topic is not"
                        + " message.timestamp.type=LogAppendTime): their tokens are checked at processing"
                        + " time, so a backlog older than the tokens' lifetime is refused (said once)",
                        routeId, topic);
            }
            appendTimes.add(appended);
        }
        List<IngressRecorder.Input> inputs = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            // The record's bytes as sent (byte-array deserializer); a record without a value is empty.
            byte[] value = ((Exchange) records.get(i)).getMessage().getBody(byte[].class);
            inputs.add(new IngressRecorder.Input(value == null ? new byte[0] : value,
                    authenticator.bearer(authorizations.get(i), appendTimes.get(i))));
        }
        // The last record carries the poll's manual commit, for the acknowledge step.
        batch.setProperty(COMMIT, ((Exchange) records.get(records.size() - 1)).getMessage()
                .getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class));
        batch.getMessage().setBody(inputs);
    }

    /**
     * The check step of a poll: its inputs become the entries of one journal batch, their receipts
     * signed with one signature.
     */
    private void check(Exchange batch, Source source, String format) {
        @SuppressWarnings("unchecked")
        List<IngressRecorder.Input> inputs = batch.getMessage().getBody(List.class);
        batch.getMessage().setBody(recorder.checkTogether(inputs, source, format));
    }

    /** The acknowledge step: the poll's offsets are committed, after the journal's commit. */
    private static void commitOffsets(Exchange batch) {
        KafkaManualCommit commit = batch.getProperty(COMMIT, KafkaManualCommit.class);
        if (commit != null) {
            commit.commit();
        }
    }

    /**
     * The receipt step: the receipts go after the commits, without waiting on each: a lost receipt is
     * recovered by resending (the journal answers with the original) or by asking for the message's
     * status.
     */
    private void receipts(Exchange batch, Source source, String receiptEndpoint) {
        @SuppressWarnings("unchecked")
        List<Recorded> recorded = batch.getMessage().getBody(List.class);
        for (Recorded r : recorded) {
            producer.asyncSend(receiptEndpoint, e -> {
                e.getMessage().setBody(r.receipt());
                e.getMessage().setHeader(ReceiptSigner.KAFKA_CONTENT_TYPE_HEADER, ReceiptSigner.mediaType(r.receipt()));
                if (r instanceof Recorded.Duplicate) {
                    e.getMessage().setHeader(ReceiptSigner.DUPLICATE_PROPERTY, "true");
                }
            })
                    .whenComplete((sent, failure) -> {
                        Exception error = failure instanceof Exception ex ? ex : sent == null ? null : sent.getException();
                        if (error != null) {
                            LOG.warn("receipt to {} not sent: {}", source.agency(), error.toString());
                        }
                    });
        }
    }

    /** The broker's append time put on a record by {@link LogAppendTimeStamper}, or null. */
    private static Instant appendTime(Object header) {
        String millis = header instanceof byte[] b ? new String(b, StandardCharsets.US_ASCII)
                : header == null ? null : header.toString();
        if (millis == null) {
            return null;
        }
        try {
            return Instant.ofEpochMilli(Long.parseLong(millis));
        } catch (NumberFormatException e) {
            // The stamper writes digits only; anything else did not come from it.
            return null;
        }
    }
}
