package vn.lienthong.gateway.ingress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.gateway.identity.Authentication;
import vn.lienthong.gateway.journal.GroupCommitter;
import vn.lienthong.gateway.journal.JournalEntry;
import vn.lienthong.gateway.journal.Recorded;
import vn.lienthong.gateway.message.Source;
import vn.lienthong.gateway.receipts.ReceiptFactory;
import vn.lienthong.schemas.errors.ValidationError;

/**
 * The check and record steps of the channels whose inputs are held in memory (REST, JMS, Kafka):
 * {@link #check} runs the pipeline on each input, {@link #record} waits for the journal's commit,
 * which every channel does before it acknowledges its source. A failed commit throws, so the
 * channel does not acknowledge.
 */
public final class IngressRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(IngressRecorder.class);

    private final IngressPipeline pipeline;
    private final GroupCommitter journal;
    private final Clock clock;
    private final boolean batchSignatures;

    /** A recorder over the pipeline and the journal. */
    public IngressRecorder(IngressPipeline pipeline, GroupCommitter journal, Clock clock) {
        this(pipeline, journal, clock, true);
    }

    /**
     * A recorder over the pipeline and the journal.
     *
     * @param batchSignatures whether {@link #checkEach} signs a batch's receipts with one signature
     *     (else one each)
     */
    public IngressRecorder(IngressPipeline pipeline, GroupCommitter journal, Clock clock, boolean batchSignatures) {
        this.pipeline = pipeline;
        this.journal = journal;
        this.clock = clock;
        this.batchSignatures = batchSignatures;
    }

    /**
     * One input's bytes and what the channel's identity check said about its sender.
     *
     * @param refusal what the channel already knows refuses it (a JMS message type without bytes, a
     *     foreign charset declared over REST), or null
     */
    public record Input(byte[] bytes, Authentication identity, ValidationError refusal) {

        /** An input the channel has nothing against. */
        public Input(byte[] bytes, Authentication identity) {
            this(bytes, identity, null);
        }
    }

    /** The largest input of one message, in bytes: a channel need not read more. */
    public int maxInputBytes() {
        return pipeline.maxInputBytes();
    }

    /** The check step: the entries of several inputs of one channel, one per item each decodes. */
    public List<JournalEntry> check(List<Input> inputs, Source source, String format) {
        List<JournalEntry> entries = new ArrayList<>();
        for (Input input : inputs) {
            entries.addAll(check(input, source, format));
        }
        return entries;
    }

    /**
     * The check step of a batch of inputs taken together (a JMS batch, a Kafka poll): the entries
     * of each input, in order, their receipts signed with one signature over the batch
     * ({@link vn.lienthong.gateway.receipts.ReceiptSigner#signBatch}).
     */
    public List<List<JournalEntry>> checkEach(List<Input> inputs, Source source, String format) {
        if (!batchSignatures) {
            List<List<JournalEntry>> each = new ArrayList<>(inputs.size());
            inputs.forEach(input -> each.add(check(input, source, format)));
            return each;
        }
        ReceiptFactory receipts = pipeline.receipts();
        List<List<JournalEntry>> unsigned = receipts.unsigned(() -> {
            List<List<JournalEntry>> each = new ArrayList<>(inputs.size());
            for (Input input : inputs) {
                each.add(check(input, source, format));
            }
            return each;
        });
        List<JournalEntry> all = new ArrayList<>();
        unsigned.forEach(all::addAll);
        List<JournalEntry> signed = pipeline.signTogether(all);
        List<List<JournalEntry>> each = new ArrayList<>(unsigned.size());
        int at = 0;
        for (List<JournalEntry> entries : unsigned) {
            each.add(signed.subList(at, at + entries.size()));
            at += entries.size();
        }
        return each;
    }

    /** {@link #checkEach}, the entries of all inputs in one list. */
    public List<JournalEntry> checkTogether(List<Input> inputs, Source source, String format) {
        List<JournalEntry> all = new ArrayList<>();
        checkEach(inputs, source, format).forEach(all::addAll);
        return all;
    }

    /** The entries of one input: its whole-input refusal, or one per item. */
    private List<JournalEntry> check(Input input, Source source, String format) {
        Inbound arrival = new Inbound(source, format, clock.instant(), input.identity());
        List<Decoded> items = new ArrayList<>();
        IngressPipeline.Screening screening;
        try {
            screening = pipeline.screen(arrival, new HeldInput(input.bytes(), source.address(), format,
                    pipeline.maxInputBytes(), input.refusal()), items::add);
        } catch (IOException e) {
            throw new UncheckedIOException("an input held in memory could not be read", e);
        }
        if (screening instanceof IngressPipeline.Screening.Refused refused) {
            return List.of(refused.entry());
        }
        List<JournalEntry> entries = new ArrayList<>(items.size());
        for (Decoded item : items) {
            // A single item keeps the exact input; items of a batch keep what was decoded for them.
            byte[] original = items.size() == 1 || !(item instanceof Decoded.Canonical c) ? input.bytes() : c.json();
            entries.add(pipeline.checkItem(arrival, screening.inputSha256(), item, original));
        }
        return entries;
    }

    /** The record step: records the entries in one journal batch and waits for its commit. */
    public List<Recorded> record(List<JournalEntry> entries, Source source) {
        List<Recorded> recorded = journal.record(entries);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} from {}: {}", source.channel(), source.address(), source.agency(), summary(recorded));
        }
        return recorded;
    }

    /**
     * The record step of a batch of inputs: the entries of all of them in one journal batch (one
     * transaction), what each input recorded in the same order.
     */
    public List<List<Recorded>> recordEach(List<List<JournalEntry>> entriesOfInputs, Source source) {
        List<JournalEntry> all = new ArrayList<>();
        entriesOfInputs.forEach(all::addAll);
        List<Recorded> recorded = record(all, source);
        List<List<Recorded>> each = new ArrayList<>(entriesOfInputs.size());
        int at = 0;
        for (List<JournalEntry> entries : entriesOfInputs) {
            each.add(recorded.subList(at, at + entries.size()));
            at += entries.size();
        }
        return each;
    }

    private static String summary(List<Recorded> recorded) {
        long accepted = recorded.stream().filter(r -> r instanceof Recorded.Accepted).count();
        long duplicates = recorded.stream().filter(r -> r instanceof Recorded.Duplicate).count();
        return accepted + " accepted, " + duplicates + " duplicate, " + (recorded.size() - accepted - duplicates)
                + " quarantined";
    }
}
