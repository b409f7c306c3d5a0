package vn.lienthong.gateway.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import vn.lienthong.gateway.admin.PeopleSecurity;
import vn.lienthong.gateway.admin.Person;

/**
 * People's download of a message's attachment through the operator API:
 * {@code GET /api/v1/admin/messages/{messageId}/attachments/{sha256}[?reason=...]} (auditors and
 * operators, {@link PeopleSecurity}); the file of a restricted message (personal data) only with a
 * reason. Every download is audited with the person, and the reason when given.
 */
public final class AttachmentAdminApi {

    private static final String PATH = PeopleSecurity.ADMIN_API + "messages/{messageId}/attachments/{sha256}";

    private final AttachmentStore store;
    private final JdbcAttachments attachments;

    /** The API over the store and the attachments' record. */
    public AttachmentAdminApi(AttachmentStore store, JdbcAttachments attachments) {
        this.store = store;
        this.attachments = attachments;
    }

    /** The route, for Spring MVC. */
    public RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route().GET(PATH, this::download).build();
    }

    private ServerResponse download(ServerRequest request) {
        Optional<UUID> id = uuid(request.pathVariable("messageId"));
        String sha256 = request.pathVariable("sha256");
        Optional<JdbcAttachments.MessageAttachment> found = id.isPresent() && AttachmentStore.isSha256(sha256)
                ? attachments.forPerson(id.get(), sha256) : Optional.empty();
        if (found.isEmpty()) {
            return problem(HttpStatus.NOT_FOUND, "NOT_FOUND", "no attachment with this SHA-256 of a message with this id");
        }
        JdbcAttachments.MessageAttachment a = found.get();
        Optional<String> reason = request.param("reason").filter(r -> !r.isBlank());
        if (reason.isPresent() && reason.get().length() > 1_000) {
            return problem(HttpStatus.BAD_REQUEST, "BAD_REQUEST", "the reason is longer than 1000 characters");
        }
        if ("restricted".equals(a.classification()) && reason.isEmpty()) {
            return problem(HttpStatus.FORBIDDEN, "REASON_REQUIRED", "message " + a.messageId() + " is restricted"
                    + " (personal data): download its attachment with ?reason=..., which is audited with your name");
        }
        Person person = PeopleSecurity.person((Authentication) request.principal()
                .map(Principal.class::cast).orElseThrow(() -> new IllegalStateException("no person")));
        InputStream in;
        try {
            in = store.open(a.sha256());
        } catch (IOException e) {
            throw new UncheckedIOException("attachment " + a.sha256() + " cannot be read from the store", e);
        }
        attachments.downloaded(person.actor(), a, JdbcAttachments.Via.OPERATOR, reason.orElse(null));
        return ServerResponse.ok().contentType(MediaType.parseMediaType(a.mediaType()))
                .header("Content-Disposition", AttachmentRoutes.contentDisposition(a.name()))
                .header(AttachmentRoutes.SHA256_HEADER, a.sha256())
                .contentLength(a.size())
                .body(new InputStreamResource(in));
    }

    private static Optional<UUID> uuid(String s) {
        try {
            return Optional.of(UUID.fromString(s));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static ServerResponse problem(HttpStatus status, String code, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }
}
