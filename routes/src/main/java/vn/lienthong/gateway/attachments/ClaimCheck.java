package vn.lienthong.gateway.attachments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.errors.ValidationError;
import vn.lienthong.schemas.v1.Attachment;
import vn.lienthong.schemas.v1.Envelope;

/**
 * The ingress's attachment check (one step of the pipeline, after authorization): every entry of a
 * message's {@code attachments} must reference bytes the gateway holds, uploaded by the sender,
 * whose SHA-256 and size are the entry's. A message that fails is refused whole
 * ({@code ATTACHMENT_NOT_STORED}, {@code ATTACHMENT_MISMATCH} at {@code /attachments/<i>}), so
 * nothing is delivered without its files.
 */
public interface ClaimCheck {

    /** No check (a gateway without an attachment store; tests whose examples name files never uploaded). */
    ClaimCheck NONE = message -> List.of();

    /** The refusals of one message's attachments; empty when every one is held. */
    List<ValidationError> check(Envelope message);

    /** A reference the gateway issues: {@code att:<sha256>}, optionally followed by {@code /<name>}. */
    Pattern REF = Pattern.compile("att:([0-9a-f]{64})(?:/.*)?", Pattern.DOTALL);

    /** The SHA-256 an {@code att:} reference names, or empty for any other reference. */
    static Optional<String> refSha256(String ref) {
        Matcher m = REF.matcher(ref);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The check against a store and the uploads' record. */
    static ClaimCheck of(AttachmentStore store, JdbcAttachments uploads) {
        return message -> {
            List<ValidationError> errors = new ArrayList<>();
            List<Attachment> attachments = message.attachments() == null ? List.of() : message.attachments();
            for (int i = 0; i < attachments.size(); i++) {
                problem(store, uploads, message.sender(), attachments.get(i), "/attachments/" + i).ifPresent(errors::add);
            }
            return errors;
        };
    }

    private static Optional<ValidationError> problem(AttachmentStore store, JdbcAttachments uploads, String sender,
            Attachment a, String pointer) {
        Optional<String> referenced = refSha256(a.ref());
        if (referenced.isEmpty()) {
            return Optional.of(ValidationError.of(ErrorCode.ATTACHMENT_NOT_STORED, pointer + "/ref", "'" + a.name()
                    + "': the ref is not one this gateway issued (att:<sha256>/<name>, the answer of"
                    + " POST /api/v1/attachments)"));
        }
        if (!referenced.get().equals(a.sha256())) {
            return Optional.of(ValidationError.of(ErrorCode.ATTACHMENT_MISMATCH, pointer + "/sha256", "'" + a.name()
                    + "': the ref names the bytes with SHA-256 " + referenced.get() + ", the entry says " + a.sha256()));
        }
        Optional<Long> size;
        try {
            size = store.size(a.sha256());
        } catch (IOException e) {
            throw new UncheckedIOException("the attachment store cannot be read", e);
        }
        if (size.isEmpty() || !uploads.uploadedBy(sender, a.sha256())) {
            return Optional.of(ValidationError.of(ErrorCode.ATTACHMENT_NOT_STORED, pointer, "'" + a.name()
                    + "': the gateway holds no upload by " + sender + " with SHA-256 " + a.sha256()
                    + "; upload the file first (POST /api/v1/attachments), then send the message"));
        }
        if (size.get().longValue() != a.size().longValue()) {
            return Optional.of(ValidationError.of(ErrorCode.ATTACHMENT_MISMATCH, pointer + "/size", "'" + a.name()
                    + "': the entry says " + a.size() + " bytes, the uploaded file has " + size.get()));
        }
        return Optional.empty();
    }
}
