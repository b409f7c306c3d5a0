package vn.lienthong.gateway.ingress;

import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.model.ProcessorDefinition;
import vn.lienthong.connectors.Connector;
import vn.lienthong.connectors.Connectors;
import vn.lienthong.connectors.canonical.CanonicalJsonConnector;
import vn.lienthong.gateway.ChannelEndpoints;
import vn.lienthong.gateway.identity.AgencyAuthenticator;
import vn.lienthong.gateway.journal.Recorded;
import vn.lienthong.gateway.journal.Source;
import vn.lienthong.gateway.receipts.ReceiptSigner;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Channel;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.gateway.registry.Registry;

/**
 * One route per agency SFTP folder: a file dropped in inbox/ is recorded, its receipt written
 * beside where it goes, and only then is it moved: to done/ when every message in it was
 * accepted (or a duplicate), to error/ otherwise; the receipt file also goes to outbox/, where the
 * agency reads everything the gateway sends it. The receipt file is in the channel's format (a
 * batch format writes one result per item); beside it, a sidecar {@code <receipt file>.jws} holds
 * the signed receipts, one compact JWS per line in the same order. A failed commit leaves the file
 * in inbox/ for the next poll. The sender is the folder's owner (its SFTP login proved it),
 * refused if Keycloak has disabled it since; while Keycloak cannot be asked, the inbox is not
 * read (see {@link ChannelEndpoints#SFTP_INBOX_FILTER}), so files wait there.
 */
public final class SftpIngressRoutes extends ChannelIngressRoutes {

    private static final String RECEIPT_FILE = "lienthong.receiptFile";
    private static final String RECEIPT_FILE_NAME = "lienthong.receiptFileName";

    private final Connectors connectors;

    /** Routes for every SFTP channel of the registry. */
    public SftpIngressRoutes(Registry registry, ChannelEndpoints endpoints, IngressRecorder recorder,
            AgencyAuthenticator authenticator, Connectors connectors) {
        super(ChannelKind.SFTP, registry, endpoints, recorder, authenticator);
        this.connectors = connectors;
    }

    @Override
    protected void configure(Agency agency, Channel channel) {
        String folder = channel.folder().orElseThrow();
        Source source = source(agency, folder + "/inbox");
        Connector connector = connectors.forFormat(channel.format().name()).orElseGet(CanonicalJsonConnector::new);
        ProcessorDefinition<?> route = from(endpoints.sftpInbox(folder))
                .routeId(routeId(agency))
                .process(exchange -> {
                    List<Recorded> recorded = recorder.record(exchange.getMessage().getMandatoryBody(byte[].class),
                            authenticator.folderOwner(agency), source, channel.format().name());
                    boolean allAccepted = recorded.stream().noneMatch(r -> r instanceof Recorded.Quarantined);
                    exchange.getMessage().setHeader(ChannelEndpoints.SFTP_OUTCOME_FOLDER, allAccepted ? "done" : "error");
                    List<byte[]> signed = recorded.stream().map(Recorded::receipt).toList();
                    String receiptFile = connector.receiptFileName(
                            exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class));
                    // The connector renders what was signed (the payloads); the JWS go in the sidecar.
                    exchange.setProperty(RECEIPT_FILE, connector.receiptFile(
                            signed.stream().map(ReceiptSigner::payload).toList()));
                    exchange.setProperty(RECEIPT_FILE_NAME, receiptFile);
                    exchange.getMessage().setHeader(Exchange.FILE_NAME, receiptFile + ReceiptSigner.SIDECAR_EXTENSION);
                    exchange.getMessage().setBody(ReceiptSigner.lines(signed));
                });
        // The sidecar first: whoever sees the receipt file finds its signatures already there.
        route = writeOutcome(route, folder);
        route = route.process(exchange -> {
            exchange.getMessage().setHeader(Exchange.FILE_NAME, exchange.getProperty(RECEIPT_FILE_NAME, String.class));
            exchange.getMessage().setBody(exchange.getProperty(RECEIPT_FILE, byte[].class));
        });
        writeOutcome(route, folder);
    }

    /** Writes the body to done/ or error/ (the outcome header), and to outbox/, where the agency reads everything the gateway sends it. */
    private ProcessorDefinition<?> writeOutcome(ProcessorDefinition<?> route, String folder) {
        return route.choice()
                    .when(header(ChannelEndpoints.SFTP_OUTCOME_FOLDER).isEqualTo("done"))
                        .to(endpoints.sftpWrite(folder, "done"))
                    .otherwise()
                        .to(endpoints.sftpWrite(folder, "error"))
                .end()
                .to(endpoints.sftpWrite(folder, "outbox"));
    }
}
