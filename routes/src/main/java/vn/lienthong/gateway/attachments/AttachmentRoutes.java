package vn.lienthong.gateway.attachments;

import static vn.lienthong.gateway.channels.RestCalls.problem;
import static vn.lienthong.gateway.channels.RestCalls.respond;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import vn.lienthong.gateway.channels.RestCalls;
import vn.lienthong.gateway.registry.Agency;

/**
 * The agencies' attachment downloads on the REST channel, streamed (never held whole); uploads are
 * {@link AttachmentUploadApi}'s:
 * <ul>
 *   <li>{@code GET /api/v1/messages/{messageId}/attachments/{sha256}} with the agency's token: the
 *       file, for the message's sender and recipients only (404 for anyone else);</li>
 *   <li>{@code GET /api/v1/attachments/{sha256}?sig=...}: the file by a signed, expiring link the
 *       gateway delivered ({@link DownloadLinks}); 403 when it does not verify or has expired.</li>
 * </ul>
 * Every download is audited.
 */
public final class AttachmentRoutes extends RouteBuilder {

    /** The header of a download that names the file's SHA-256. */
    public static final String SHA256_HEADER = "Lienthong-Attachment-Sha256";

    private static final String AGENCY = "lienthong.agency";

    private final RestCalls calls;
    private final AttachmentStore store;
    private final JdbcAttachments attachments;
    private final DownloadLinks links;

    /** The download routes over a store, the attachments' record and the links. */
    public AttachmentRoutes(RestCalls calls, AttachmentStore store, JdbcAttachments attachments, DownloadLinks links) {
        this.calls = calls;
        this.store = store;
        this.attachments = attachments;
        this.links = links;
    }

    @Override
    public void configure() {
        // Plain platform-http consumers, not the REST DSL: no stream caching, the file's stream written
        // out as it is read (chunked). Uploads are AttachmentUploadApi's (the binding would cache a body).
        from("platform-http:/api/v1/messages/{messageId}/attachments/{sha256}?httpMethodRestrict=GET&useStreaming=true")
                .routeId("api-attachment-download").nodePrefixId("api-attachment-download.").noStreamCaching()
                .routeDescription("REST GET a message's attachment, for its sender and recipients")
                .process(this::identify).id("identify")
                .process(this::download).id("download");
        from("platform-http:" + DownloadLinks.PATH + "{sha256}?httpMethodRestrict=GET&useStreaming=true")
                .routeId("api-attachment-link").nodePrefixId("api-attachment-link.").noStreamCaching()
                .routeDescription("REST GET an attachment by a signed, expiring download link")
                .process(this::byLink).id("download");
    }

    /** The calling agency by its token; otherwise answered (401, 503) and stopped. */
    private void identify(Exchange exchange) {
        Optional<Agency> agency = calls.identify(exchange);
        if (agency.isEmpty()) {
            exchange.setRouteStop(true);
            return;
        }
        exchange.setProperty(AGENCY, agency.get().code());
    }

    /** The download step for an agency: the file, if the agency sent or receives the message. */
    private void download(Exchange exchange) {
        String agency = exchange.getProperty(AGENCY, String.class);
        Optional<UUID> messageId = RestCalls.uuid(exchange.getMessage().getHeader("messageId", String.class));
        String sha256 = exchange.getMessage().getHeader("sha256", String.class);
        Optional<JdbcAttachments.MessageAttachment> found = messageId.isPresent() && AttachmentStore.isSha256(sha256)
                ? attachments.forParty(messageId.get(), sha256, agency) : Optional.empty();
        if (found.isEmpty()) {
            problem(exchange, 404, "NOT_FOUND", "no attachment with this SHA-256 of a message with this id that "
                    + agency + " sent or receives");
            return;
        }
        send(exchange, found.get(), agency, JdbcAttachments.Via.TOKEN);
    }

    /** The download step of a link: the file, if the link's signature holds and it has not expired. */
    private void byLink(Exchange exchange) {
        String sha256 = exchange.getMessage().getHeader("sha256", String.class);
        Optional<DownloadLinks.Grant> grant = AttachmentStore.isSha256(sha256)
                ? links.verify(sha256, exchange.getMessage().getHeader("sig", String.class)) : Optional.empty();
        Optional<JdbcAttachments.MessageAttachment> found = grant.flatMap(g ->
                attachments.forParty(g.messageId(), sha256, g.agency()));
        if (found.isEmpty()) {
            problem(exchange, 403, "LINK_INVALID", "the download link does not verify, is for another file, or has"
                    + " expired: download with your token (GET /api/v1/messages/{messageId}/attachments/{sha256})");
            return;
        }
        send(exchange, found.get(), grant.get().agency(), JdbcAttachments.Via.LINK);
    }

    /** Audits the download, then answers with the file's stream (written out by the HTTP binding). */
    private void send(Exchange exchange, JdbcAttachments.MessageAttachment a, String actor, JdbcAttachments.Via via) {
        InputStream in;
        try {
            in = store.open(a.sha256());
        } catch (IOException e) {
            throw new UncheckedIOException("attachment " + a.sha256() + " is named by message " + a.messageId()
                    + " but cannot be read from the store", e);
        }
        attachments.downloaded(actor, a, via, null);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, a.mediaType());
        exchange.getMessage().setHeader("Content-Disposition", contentDisposition(a.name()));
        exchange.getMessage().setHeader(SHA256_HEADER, a.sha256());
        // Chunked: the binding copies the stream out as it reads it, instead of buffering it to count its length.
        exchange.getMessage().setHeader(Exchange.HTTP_CHUNKED, true);
        exchange.getMessage().setBody(in);
    }

    /** RFC 6266 with the RFC 8187 form for names outside ASCII (Vietnamese file names). */
    public static String contentDisposition(String name) {
        String ascii = name.replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "_");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
                + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

}
