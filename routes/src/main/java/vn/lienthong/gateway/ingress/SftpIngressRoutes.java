package vn.lienthong.gateway.ingress;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.support.SynchronizationAdapter;
import vn.lienthong.gateway.attachments.SftpBesideFiles;
import vn.lienthong.gateway.channels.ChannelEndpoints;
import vn.lienthong.gateway.identity.AgencyAuthenticator;
import vn.lienthong.gateway.message.Source;
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
 * in inbox/ for the next poll. Files are spooled to local disk and recorded streamed
 * ({@link SpooledBatchIngress}), so a batch of any size is handled in bounded memory. The sender is
 * the folder's owner (its SFTP login proved it), refused if Keycloak has disabled it since; while
 * Keycloak cannot be asked, the inbox is not read (see {@link ChannelEndpoints#SFTP_INBOX_FILTER}),
 * so files wait there.
 */
public final class SftpIngressRoutes extends ChannelIngressRoutes {

    private static final String RECEIPT_FILE = "lienthong.receiptFile";
    private static final String RECEIPT_FILE_NAME = "lienthong.receiptFileName";
    private static final String ARRIVAL = "lienthong.arrival";
    private static final String SPOOLED = "lienthong.spooled";
    private static final String SCREENING = "lienthong.screening";

    private final SpooledBatchIngress batches;
    private final Clock clock;
    private SftpBesideFiles besideFiles;
    private final boolean elected;

    /** Routes for every SFTP channel of the registry; files are checked and recorded by {@code batches}, streamed. */
    public SftpIngressRoutes(Registry registry, ChannelEndpoints endpoints, IngressRecorder recorder,
            AgencyAuthenticator authenticator, SpooledBatchIngress batches, Clock clock) {
        this(registry, endpoints, recorder, authenticator, batches, clock, false);
    }

    /**
     * The same; with {@code elected}, the routes do not start on their own: the instance elected for
     * a folder starts its route (cluster.FolderLeadership), so one instance polls each folder.
     */
    public SftpIngressRoutes(Registry registry, ChannelEndpoints endpoints, IngressRecorder recorder,
            AgencyAuthenticator authenticator, SpooledBatchIngress batches, Clock clock, boolean elected) {
        super(ChannelKind.SFTP, registry, endpoints, recorder, authenticator);
        this.batches = batches;
        this.clock = clock;
        this.elected = elected;
    }

    /**
     * Attachments dropped beside a message file ({@code inbox/<file>.attachments/}) are taken into
     * the store before the file is checked ({@link SftpBesideFiles}).
     */
    public SftpIngressRoutes withBesideFiles(SftpBesideFiles files) {
        this.besideFiles = java.util.Objects.requireNonNull(files, "files");
        return this;
    }

    @Override
    protected ChannelIngressRoutes copy(Registry other) {
        SftpIngressRoutes copy = new SftpIngressRoutes(other, endpoints, recorder, authenticator, batches, clock, elected);
        copy.besideFiles = besideFiles;
        return copy;
    }

    @Override
    protected void configure(Agency agency, Channel channel) {
        String folder = channel.folder().orElseThrow();
        Source source = source(agency, folder + "/inbox");
        String format = channel.format().name();
        ProcessorDefinition<?> receipt = route(endpoints.sftpInbox(folder), agency, channel).autoStartup(!elected)
                .process(exchange -> identify(exchange, agency, source, format)).id(IDENTIFY)
                .process(exchange -> attachments(exchange, agency, folder)).id("attachments")
                .process(this::check).id(CHECK).description(CHECK_DESCRIPTION)
                .process(this::record).id(RECORD)
                .step(RECEIPT);
        // The sidecar first: whoever sees the receipt file finds its signatures already there.
        receipt = writeOutcome(receipt, folder, "signatures");
        receipt = receipt.process(SftpIngressRoutes::receiptFile).id("receipt-file");
        writeOutcome(receipt, folder, "receipt-file").end();
    }

    /**
     * The identify step: the sender is the folder's owner (its SFTP login proved it), refused if
     * Keycloak has disabled it since; the input is on local disk.
     */
    private void identify(Exchange exchange, Agency agency, Source source, String format) throws Exception {
        exchange.setProperty(ARRIVAL, new Inbound(source, format, clock.instant(), authenticator.folderOwner(agency)));
        exchange.setProperty(SPOOLED, spooled(exchange));
    }

    /** The attachments beside the file, into the store as the folder owner's uploads (a sender that was identified). */
    private void attachments(Exchange exchange, Agency agency, String folder) throws IOException {
        if (besideFiles != null && exchange.getProperty(ARRIVAL, Inbound.class).identity()
                instanceof vn.lienthong.gateway.identity.Authentication.Authenticated) {
            besideFiles.take(folder, name(exchange), agency.code());
        }
    }

    /** The check step: the file's first pass, the refusal chain every input goes through. */
    private void check(Exchange exchange) throws Exception {
        exchange.setProperty(SCREENING, batches.check(exchange.getProperty(SPOOLED, Path.class), name(exchange),
                exchange.getProperty(ARRIVAL, Inbound.class)));
    }

    /**
     * The record step: the file recorded in chunks, streamed; the receipt file and its signatures go
     * to local disk (bounded memory), and the outcome header says where the input goes.
     */
    private void record(Exchange exchange) throws Exception {
        String name = name(exchange);
        Inbound arrival = exchange.getProperty(ARRIVAL, Inbound.class);
        Path result = Files.createTempFile(".result-", ".tmp");
        Path signatures = Files.createTempFile(".result-", ".jws.tmp");
        deleteOnCompletion(exchange, result);
        deleteOnCompletion(exchange, signatures);
        SpooledBatchIngress.Outcome outcome;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(result), 1 << 16);
                OutputStream jws = new BufferedOutputStream(Files.newOutputStream(signatures), 1 << 16)) {
            outcome = batches.record(exchange.getProperty(SPOOLED, Path.class), name, arrival,
                    exchange.getProperty(SCREENING, IngressPipeline.Screening.class), out, jws);
        }
        String receiptFile = batches.receiptFiles(arrival.format()).fileName(name);
        exchange.getMessage().setHeader(ChannelEndpoints.SFTP_OUTCOME_FOLDER, outcome.allAccepted() ? "done" : "error");
        exchange.setProperty(RECEIPT_FILE, result.toFile());
        exchange.setProperty(RECEIPT_FILE_NAME, receiptFile);
        exchange.getMessage().setHeader(Exchange.FILE_NAME, receiptFile + ReceiptSigner.SIDECAR_EXTENSION);
        exchange.getMessage().setBody(signatures.toFile());
    }

    /** After the sidecar, the receipt file itself. */
    private static void receiptFile(Exchange exchange) {
        exchange.getMessage().setHeader(Exchange.FILE_NAME, exchange.getProperty(RECEIPT_FILE_NAME, String.class));
        exchange.getMessage().setBody(exchange.getProperty(RECEIPT_FILE, File.class));
    }

    private static String name(Exchange exchange) {
        return exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
    }

    /** Writes the body to done/ or error/ (the outcome header), and to outbox/, where the agency reads everything the gateway sends it. */
    private ProcessorDefinition<?> writeOutcome(ProcessorDefinition<?> route, String folder, String what) {
        return route.choice().id(what + "-beside-input")
                    .when(header(ChannelEndpoints.SFTP_OUTCOME_FOLDER).isEqualTo("done"))
                        .to(endpoints.sftpWrite(folder, "done")).id(what + "-to-done")
                    .otherwise()
                        .to(endpoints.sftpWrite(folder, "error")).id(what + "-to-error")
                .end()
                .to(endpoints.sftpWrite(folder, "outbox")).id(what + "-to-outbox");
    }

    /** The input on local disk: the consumer's work copy, or (without one) a copy made here, streamed. */
    private static Path spooled(Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        if (body instanceof GenericFile<?> file && file.getBody() instanceof File local) {
            return local.toPath();
        }
        if (body instanceof File local) {
            return local.toPath();
        }
        Path copy = Files.createTempFile(".input-", ".tmp");
        deleteOnCompletion(exchange, copy);
        try (InputStream in = exchange.getMessage().getMandatoryBody(InputStream.class)) {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        return copy;
    }

    private static void deleteOnCompletion(Exchange exchange, Path file) {
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // a temporary file left behind is not worth failing an input for
                }
            }
        });
    }
}
