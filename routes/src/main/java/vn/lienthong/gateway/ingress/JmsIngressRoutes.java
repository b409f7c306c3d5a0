package vn.lienthong.gateway.ingress;

import java.util.List;
import vn.lienthong.gateway.ChannelEndpoints;
import vn.lienthong.gateway.identity.AgencyAuthenticator;
import vn.lienthong.gateway.identity.Authentication;
import vn.lienthong.gateway.journal.Recorded;
import vn.lienthong.gateway.journal.Source;
import vn.lienthong.gateway.receipts.ReceiptSigner;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Channel;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.gateway.registry.Registry;

/**
 * One route per agency inbound queue: check the sender's token (string property
 * {@code Authorization}), record in the journal, then send the receipt to the agency's
 * outbound queue (a text message holding the signed receipt, a compact JWS, correlated with the
 * input's JMSMessageID); the receipt and the acknowledgement of the input commit together in the route's
 * JMS transaction, after the journal's commit. A failed commit, or Keycloak out of reach, rolls
 * back: the broker redelivers.
 */
public final class JmsIngressRoutes extends ChannelIngressRoutes {

    /** Routes for every JMS channel of the registry. */
    public JmsIngressRoutes(Registry registry, ChannelEndpoints endpoints, IngressRecorder recorder,
            AgencyAuthenticator authenticator) {
        super(ChannelKind.JMS, registry, endpoints, recorder, authenticator);
    }

    @Override
    protected void configure(Agency agency, Channel channel) {
        String queue = channel.inbound().orElseThrow();
        Source source = source(agency, queue);
        from(endpoints.jmsInbound(queue))
                .routeId(routeId(agency))
                .process(exchange -> {
                    // Taken off first: no error log or onward message shows the token.
                    Object token = exchange.getMessage().removeHeader(AgencyAuthenticator.AUTHORIZATION);
                    Authentication identity = authenticator.bearer(token == null ? null : token.toString());
                    List<Recorded> recorded = recorder.record(exchange.getMessage().getMandatoryBody(byte[].class),
                            identity, source, channel.format().name());
                    String inputId = exchange.getMessage().getHeader("JMSMessageID", String.class);
                    exchange.getMessage().setBody(recorded.stream().map(Recorded::receipt).toList());
                    // Only what the gateway means to say: the input's properties (a bearer token among
                    // them) are not echoed onto the receipt, which names the input by correlation id.
                    exchange.getMessage().removeHeaders("*");
                    exchange.getMessage().setHeader(ReceiptSigner.JMS_CONTENT_TYPE_PROPERTY, ReceiptSigner.MEDIA_TYPE);
                    if (inputId != null) {
                        exchange.getMessage().setHeader("JMSCorrelationID", inputId);
                    }
                })
                .split(body())
                    .to(endpoints.jmsOutbound(channel.outbound().orElseThrow()))
                .end();
    }
}
