package vn.lienthong.gateway.ingress;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
import vn.lienthong.gateway.channels.ChannelEndpoints;
import vn.lienthong.gateway.identity.AgencyAuthenticator;
import vn.lienthong.gateway.identity.Authentication;
import vn.lienthong.gateway.journal.JournalEntry;
import vn.lienthong.gateway.journal.Recorded;
import vn.lienthong.gateway.message.Source;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Channel;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.gateway.registry.Registry;

/**
 * The ingress routes of one kind of channel: one route per such channel in the registry, each the
 * steps of DESIGN §2 by name, so that the route console shows the flow: {@value #IDENTIFY} (who sent
 * it), {@value #CHECK} (decode, validate, authorize), {@value #RECORD} (the journal's commit, before
 * the source is acknowledged), {@value #RECEIPT} (the signed receipts to the sender). Node ids are
 * prefixed with the route id ({@code ingress-jms-SBV.identify}), as Camel wants them unique.
 */
public abstract class ChannelIngressRoutes extends RouteBuilder {

    /** Step: who sent the input (token, or SFTP folder owner). */
    public static final String IDENTIFY = "identify";
    /** Step: decode, validate, authorize (the pipeline), up to the entries to record. */
    public static final String CHECK = "check";
    /** Step: the journal's commit. */
    public static final String RECORD = "record";
    /** Step: the signed receipts go to the sender. */
    public static final String RECEIPT = "receipt";
    /** The steps every ingress route has, in this order. */
    public static final List<String> STEPS = List.of(IDENTIFY, CHECK, RECORD, RECEIPT);
    /** What the check step does, shown beside it in the route console. */
    public static final String CHECK_DESCRIPTION = "decode, validate, authorize";

    /** Exchange property: what the identify step said about the sender ({@link Authentication}). */
    protected static final String IDENTITY = "lienthong.identity";

    /** The registry whose channels get routes. */
    protected final Registry registry;
    /** Where the endpoint URIs come from. */
    protected final ChannelEndpoints endpoints;
    /** The check and record steps of inputs held in memory. */
    protected final IngressRecorder recorder;
    /** Tells who sent an input: its token, or the SFTP folder's owner. */
    protected final AgencyAuthenticator authenticator;
    private final ChannelKind kind;
    /** Which routes (by id) this builder makes: all, or the ones a registry reload adds. */
    private Predicate<String> include = id -> true;

    /** Routes for every channel of {@code kind}. */
    protected ChannelIngressRoutes(ChannelKind kind, Registry registry, ChannelEndpoints endpoints,
            IngressRecorder recorder, AgencyAuthenticator authenticator) {
        this.kind = kind;
        this.registry = registry;
        this.endpoints = endpoints;
        this.recorder = recorder;
        this.authenticator = authenticator;
    }

    @Override
    public final void configure() {
        for (Agency agency : registry.agencies()) {
            for (Channel channel : agency.channels(kind)) {
                if (include.test(routeId(agency))) {
                    configure(agency, channel);
                }
            }
        }
    }

    /** The kind of channel these routes take input from. */
    public ChannelKind kind() {
        return kind;
    }

    /**
     * A builder of only these routes (by id) of {@code other}'s channels, with this one's collaborators:
     * what a registry reload adds to the running Camel context.
     */
    public final ChannelIngressRoutes only(Registry other, Set<String> routeIds) {
        ChannelIngressRoutes copy = copy(other);
        copy.include = Set.copyOf(routeIds)::contains;
        return copy;
    }

    /** The same routes over another registry (same collaborators). */
    protected abstract ChannelIngressRoutes copy(Registry other);

    /** The route id of an agency's channel of this kind ({@code ingress-jms-SBV}). */
    public String routeIdOf(String agencyCode) {
        return "ingress-" + kind.name().toLowerCase() + "-" + agencyCode;
    }

    /** Builds the route of one agency's channel; its id is {@code ingress-<kind>-<agency code>}. */
    protected abstract void configure(Agency agency, Channel channel);

    /** The route id of an agency's channel of this kind. */
    protected String routeId(Agency agency) {
        return routeIdOf(agency.code());
    }

    /** The start of an agency's route: from the endpoint, its id, its node ids prefixed with it. */
    protected RouteDefinition route(String endpoint, Agency agency, Channel channel) {
        String id = routeId(agency);
        return from(endpoint).routeId(id).nodePrefixId(id + ".")
                .routeDescription(kind.name() + " " + endpoint(channel) + " of " + agency.code() + " (" + channel.format().name()
                        + ")");
    }

    private static String endpoint(Channel channel) {
        return channel.inbound().or(channel::folder).orElse("");
    }

    /** The source an input of this channel comes from, owned by the agency. */
    protected Source source(Agency agency, String address) {
        return new Source(kind, address, agency.code());
    }

    /** The check step of one input held in memory: the body's bytes become the entries to record. */
    protected void checkOne(Exchange exchange, Source source, String format) throws Exception {
        Authentication identity = exchange.getProperty(IDENTITY, Authentication.class);
        byte[] bytes = exchange.getMessage().getMandatoryBody(byte[].class);
        exchange.getMessage().setBody(recorder.check(List.of(new IngressRecorder.Input(bytes, identity)), source, format));
    }

    /** The record step: the entries in the body are recorded; the body becomes what was recorded. */
    protected void record(Exchange exchange, Source source) {
        @SuppressWarnings("unchecked")
        List<JournalEntry> entries = exchange.getMessage().getBody(List.class);
        List<Recorded> recorded = recorder.record(entries, source);
        exchange.getMessage().setBody(recorded);
    }
}
