package vn.lienthong.gateway.ingress;

import org.apache.camel.builder.RouteBuilder;
import vn.lienthong.gateway.channels.ChannelEndpoints;
import vn.lienthong.gateway.identity.AgencyAuthenticator;
import vn.lienthong.gateway.message.Source;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Channel;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.gateway.registry.Registry;

/** The ingress routes of one kind of channel: one route per such channel in the registry. */
public abstract class ChannelIngressRoutes extends RouteBuilder {

    /** The registry whose channels get routes. */
    protected final Registry registry;
    /** Where the endpoint URIs come from. */
    protected final ChannelEndpoints endpoints;
    /** Checks and records inputs before the source is acknowledged. */
    protected final IngressRecorder recorder;
    /** Tells who sent an input: its token, or the SFTP folder's owner. */
    protected final AgencyAuthenticator authenticator;
    private final ChannelKind kind;

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
                configure(agency, channel);
            }
        }
    }

    /** Builds the route of one agency's channel; its id is {@code ingress-<kind>-<agency code>}. */
    protected abstract void configure(Agency agency, Channel channel);

    /** The route id of an agency's channel of this kind. */
    protected String routeId(Agency agency) {
        return "ingress-" + kind.name().toLowerCase() + "-" + agency.code();
    }

    /** The source an input of this channel comes from, owned by the agency. */
    protected Source source(Agency agency, String address) {
        return new Source(kind, address, agency.code());
    }
}
