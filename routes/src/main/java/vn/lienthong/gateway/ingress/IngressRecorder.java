package vn.lienthong.gateway.ingress;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lienthong.gateway.identity.Authentication;
import vn.lienthong.gateway.journal.GroupCommitter;
import vn.lienthong.gateway.journal.JournalEntry;
import vn.lienthong.gateway.journal.Recorded;
import vn.lienthong.gateway.message.Source;

/**
 * Checks inputs and records them, waiting for the journal's commit: what every channel calls
 * before it acknowledges its source. A failed commit throws, so the channel does not acknowledge.
 */
public final class IngressRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(IngressRecorder.class);

    private final IngressPipeline pipeline;
    private final GroupCommitter journal;
    private final Clock clock;

    /** A recorder over the pipeline and the journal. */
    public IngressRecorder(IngressPipeline pipeline, GroupCommitter journal, Clock clock) {
        this.pipeline = pipeline;
        this.journal = journal;
        this.clock = clock;
    }

    /** One input's bytes and what the channel's identity check said about its sender. */
    public record Input(byte[] bytes, Authentication identity) {
    }

    /** Checks and records one input; returns what was recorded, one result per decoded item. */
    public List<Recorded> record(byte[] bytes, Authentication identity, Source source, String format) {
        return record(List.of(new Input(bytes, identity)), source, format);
    }

    /** Checks and records several inputs of one channel in one journal batch. */
    public List<Recorded> record(List<Input> inputs, Source source, String format) {
        List<JournalEntry> entries = new ArrayList<>();
        for (Input input : inputs) {
            entries.addAll(pipeline.check(new Inbound(input.bytes(), source, format, clock.instant(), input.identity())));
        }
        List<Recorded> recorded = journal.record(entries);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} from {}: {}", source.channel(), source.address(), source.agency(), summary(recorded));
        }
        return recorded;
    }

    private static String summary(List<Recorded> recorded) {
        long accepted = recorded.stream().filter(r -> r instanceof Recorded.Accepted).count();
        long duplicates = recorded.stream().filter(r -> r instanceof Recorded.Duplicate).count();
        return accepted + " accepted, " + duplicates + " duplicate, " + (recorded.size() - accepted - duplicates)
                + " quarantined";
    }
}
