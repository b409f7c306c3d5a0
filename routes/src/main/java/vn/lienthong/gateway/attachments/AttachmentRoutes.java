package vn.lienthong.gateway.attachments;

import static vn.lienthong.gateway.channels.RestCalls.problem;
import static vn.lienthong.gateway.channels.RestCalls.respond;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import vn.lienthong.gateway.channels.RestCalls;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.validation.CanonicalJson;

/**
 * The agencies' attachment API on the REST channel, bodies streamed both ways (never held whole):
 * <ul>
 *   <li>{@code POST /api/v1/attachments?name=<file name>[&sha256=<hex>]}, the file's bytes as the
 *       body with its media type: stored under its SHA-256 (413 over the limit; 422
 *       {@code ATTACHMENT_MISMATCH} when the bytes' SHA-256 is not the declared one), answered 201
 *       with the envelope's {@code attachments} entry to put in the message
 *       ({@code name, mediaType, size, sha256, ref});</li>
 *   <li>{@code GET /api/v1/messages/{messageId}/attachments/{sha256}} with the agency's token: the
 *       file, for the message's sender and recipients only (404 for anyone else);</li>
 *   <li>{@code GET /api/v1/attachments/{sha256}?sig=...}: the file by a signed, expiring link the
 *       gateway delivered ({@link DownloadLinks}); 403 when it does not verify or has expired.</li>
 * </ul>
 * Every upload and download is audited.
 */
public final class AttachmentRoutes extends RouteBuilder {

    /** The upload path (its body is not capped at one message's size: its own limit applies). */
    public static final String UPLOAD_PATH = "/api/v1/attachments";
    /** The route of uploads. */
    public static final String UPLOAD_ROUTE = "api-attachment-upload";
    /** The header of a download that names the file's SHA-256. */
    public static final String SHA256_HEADER = "Lienthong-Attachment-Sha256";

    /** A file name as the schema allows it: 1–255 characters, no slash, backslash or NUL. */
    private static final Pattern NAME = Pattern.compile("[^/\\\\\\x00]{1,255}");
    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z]+/[A-Za-z0-9.+-]+");
    private static final String AGENCY = "lienthong.agency";

    private final RestCalls calls;
    private final AttachmentStore store;
    private final JdbcAttachments attachments;
    private final DownloadLinks links;
    private final long maxBytes;

    /** The attachment API over a store, the uploads' record and the links. */
    public AttachmentRoutes(RestCalls calls, AttachmentStore store, JdbcAttachments attachments, DownloadLinks links,
            long maxBytes) {
        this.calls = calls;
        this.store = store;
        this.attachments = attachments;
        this.links = links;
        this.maxBytes = maxBytes;
    }

    @Override
    public void configure() {
        // Plain platform-http consumers, not the REST DSL: no stream caching (it would hold a whole
        // upload in memory), the binding never reads the body (populateBodyWithForm=false: it would
        // copy it into a stream cache), the store reads the request's own stream.
        from("platform-http:" + UPLOAD_PATH + "?httpMethodRestrict=POST&useStreaming=true&populateBodyWithForm=false")
                .routeId(UPLOAD_ROUTE).nodePrefixId(UPLOAD_ROUTE + ".").noStreamCaching()
                .routeDescription("REST POST /api/v1/attachments: an agency's file, stored by its SHA-256")
                .process(this::identify).id("identify")
                .process(this::store).id("store");
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

    /** The store step of an upload: the body streamed into the store, the uploader recorded. */
    private void store(Exchange exchange) throws IOException {
        String agency = exchange.getProperty(AGENCY, String.class);
        HttpServletRequest request = exchange.getIn() instanceof PlatformHttpMessage http ? http.getRequest() : null;
        if (request != null && request.getContentLengthLong() > maxBytes) {
            problem(exchange, 413, "BODY_TOO_LARGE", "the file is " + request.getContentLengthLong()
                    + " bytes; at most " + maxBytes + " are accepted per attachment; nothing was kept");
            return;
        }
        String name = exchange.getMessage().getHeader("name", String.class);
        if (name == null || !NAME.matcher(name).matches()) {
            problem(exchange, 400, "BAD_REQUEST", "query parameter name is required: the file name (1 to 255"
                    + " characters, no /, \\ or NUL), as the message's attachments entry will name it");
            return;
        }
        String declared = exchange.getMessage().getHeader("sha256", String.class);
        if (declared != null && !AttachmentStore.isSha256(declared)) {
            problem(exchange, 400, "BAD_REQUEST", "query parameter sha256 must be 64 lower-case hex digits");
            return;
        }
        String mediaType = mediaType(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class));
        AttachmentStore.Stored stored;
        try (InputStream body = body(exchange, request)) {
            stored = store.put(body, maxBytes);
        } catch (AttachmentStore.TooLargeException e) {
            problem(exchange, 413, "BODY_TOO_LARGE", "the file is larger than " + maxBytes
                    + " bytes, the most one attachment may be; nothing was kept");
            return;
        }
        if (declared != null && !declared.equals(stored.sha256())) {
            problem(exchange, 422, ErrorCode.ATTACHMENT_MISMATCH.name(), "the bytes received have SHA-256 "
                    + stored.sha256() + " (" + stored.size() + " bytes), not the declared " + declared
                    + ": the file changed or was cut short; nothing was recorded for " + agency);
            return;
        }
        attachments.uploaded(agency, stored);
        ObjectNode entry = CanonicalJson.mapper().createObjectNode().put("name", name).put("mediaType", mediaType)
                .put("size", stored.size()).put("sha256", stored.sha256())
                .put("ref", "att:" + stored.sha256() + "/" + name);
        respond(exchange, 201, RestCalls.json(entry));
    }

    /**
     * The request's own stream; the HTTP binding's body only where there is no servlet request. The
     * binding would first copy a body into a stream cache (in memory), so it is never asked for it.
     */
    private static InputStream body(Exchange exchange, HttpServletRequest request) throws IOException {
        if (request != null) {
            return request.getInputStream();
        }
        exchange.setProperty(Exchange.DISABLE_HTTP_STREAM_CACHE, true);
        InputStream body = exchange.getMessage().getBody(InputStream.class);
        return body != null ? body : InputStream.nullInputStream();
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

    private static String mediaType(String contentType) {
        String type = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        return MEDIA_TYPE.matcher(type).matches() ? type : "application/octet-stream";
    }
}
