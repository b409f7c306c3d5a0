package vn.lienthong.gateway.attachments;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import vn.lienthong.gateway.identity.AgencyAuthenticator;
import vn.lienthong.gateway.identity.Authentication;
import vn.lienthong.gateway.identity.IdentityUnavailableException;
import vn.lienthong.schemas.errors.ErrorCode;

/**
 * The agencies' upload, {@code POST /api/v1/attachments?name=<file name>[&sha256=<hex>]}, the
 * file's bytes as the body with its media type and the agency's token: the request's own stream
 * goes straight into the store, never into memory (Camel's HTTP binding would first copy a body
 * into a stream cache, so this one endpoint is Spring MVC's). 201 with the envelope's
 * {@code attachments} entry to put in the message ({@code name, mediaType, size, sha256, ref});
 * 413 over the limit (by {@code Content-Length} before reading, or as the stream passes it); 422
 * {@code ATTACHMENT_MISMATCH} when the bytes' SHA-256 is not the declared one (nothing recorded);
 * 401 / 503 as every agency call. Each upload is audited.
 */
public final class AttachmentUploadApi {

    /** The upload path (its body is not capped at one message's size: its own limit applies). */
    public static final String PATH = "/api/v1/attachments";

    /** A file name as the schema allows it: 1–255 characters, no slash, backslash or NUL. */
    private static final Pattern NAME = Pattern.compile("[^/\\\\\\x00]{1,255}");
    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z]+/[A-Za-z0-9.+-]+");

    private final AgencyAuthenticator authenticator;
    private final AttachmentStore store;
    private final JdbcAttachments attachments;
    private final long maxBytes;

    /** Uploads checked by {@code authenticator}, kept in {@code store}, recorded in {@code attachments}. */
    public AttachmentUploadApi(AgencyAuthenticator authenticator, AttachmentStore store, JdbcAttachments attachments,
            long maxBytes) {
        this.authenticator = authenticator;
        this.store = store;
        this.attachments = attachments;
        this.maxBytes = maxBytes;
    }

    /** The route, for Spring MVC. */
    public RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route().POST(PATH, this::upload).build();
    }

    private ServerResponse upload(ServerRequest request) throws IOException {
        Authentication identity;
        try {
            identity = authenticator.bearer(request.headers().firstHeader(AgencyAuthenticator.AUTHORIZATION));
        } catch (IdentityUnavailableException e) {
            return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "30")
                    .contentType(MediaType.APPLICATION_JSON).body(problem("IDENTITY_UNAVAILABLE",
                            "the gateway cannot reach Keycloak to check the caller; retry later"));
        }
        if (!(identity instanceof Authentication.Authenticated authenticated)) {
            String reason = ((Authentication.Refused) identity).reason();
            return ServerResponse.status(HttpStatus.UNAUTHORIZED)
                    .header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                    .contentType(MediaType.APPLICATION_JSON).body(problem("NOT_AUTHENTICATED", reason));
        }
        String agency = authenticated.caller().agency();
        HttpServletRequest servlet = request.servletRequest();
        if (servlet.getContentLengthLong() > maxBytes) {
            return answer(HttpStatus.PAYLOAD_TOO_LARGE, "BODY_TOO_LARGE", "the file is " + servlet.getContentLengthLong()
                    + " bytes; at most " + maxBytes + " are accepted per attachment; nothing was kept");
        }
        Optional<String> name = request.param("name").filter(n -> NAME.matcher(n).matches());
        if (name.isEmpty()) {
            return answer(HttpStatus.BAD_REQUEST, "BAD_REQUEST", "query parameter name is required: the file name (1 to"
                    + " 255 characters, no /, \\ or NUL), as the message's attachments entry will name it");
        }
        Optional<String> declared = request.param("sha256");
        if (declared.isPresent() && !AttachmentStore.isSha256(declared.get())) {
            return answer(HttpStatus.BAD_REQUEST, "BAD_REQUEST", "query parameter sha256 must be 64 lower-case hex digits");
        }
        AttachmentStore.Stored stored;
        try (InputStream body = servlet.getInputStream()) {
            stored = store.put(body, maxBytes);
        } catch (AttachmentStore.TooLargeException e) {
            return answer(HttpStatus.PAYLOAD_TOO_LARGE, "BODY_TOO_LARGE", "the file is larger than " + maxBytes
                    + " bytes, the most one attachment may be; nothing was kept");
        }
        if (declared.isPresent() && !declared.get().equals(stored.sha256())) {
            return answer(HttpStatus.UNPROCESSABLE_ENTITY, ErrorCode.ATTACHMENT_MISMATCH.name(), "the bytes received"
                    + " have SHA-256 " + stored.sha256() + " (" + stored.size() + " bytes), not the declared "
                    + declared.get() + ": the file changed or was cut short; nothing was recorded for " + agency);
        }
        attachments.uploaded(agency, stored);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", name.get());
        entry.put("mediaType", mediaType(servlet.getContentType()));
        entry.put("size", stored.size());
        entry.put("sha256", stored.sha256());
        entry.put("ref", "att:" + stored.sha256() + "/" + name.get());
        return ServerResponse.status(HttpStatus.CREATED).contentType(MediaType.APPLICATION_JSON).body(entry);
    }

    private static String mediaType(String contentType) {
        String type = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        return MEDIA_TYPE.matcher(type).matches() ? type : "application/octet-stream";
    }

    private static ServerResponse answer(HttpStatus status, String code, String message) {
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).body(problem(code, message));
    }

    private static Map<String, String> problem(String code, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        return body;
    }
}
