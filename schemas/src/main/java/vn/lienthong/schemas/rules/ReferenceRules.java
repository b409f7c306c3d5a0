package vn.lienthong.schemas.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import vn.lienthong.schemas.errors.ErrorCode;

/**
 * What one part of a message says about another must hold: named attachments exist, a reply's
 * {@code request} is its {@code inReplyTo}, a period does not end before it starts.
 */
final class ReferenceRules {

    private ReferenceRules() {
    }

    static void check(JsonNode envelope, RuleContext ctx) {
        attachments(envelope, ctx);
        replies(envelope, ctx);
        Json.forEachObject(envelope, "", (pointer, object) -> {
            if (object.get("period") != null) {
                Optional<LocalDate> from = Json.date(object.get("period"), "from");
                Optional<LocalDate> to = Json.date(object.get("period"), "to");
                if (from.isPresent() && to.isPresent() && to.get().isBefore(from.get())) {
                    ctx.error(ErrorCode.PERIOD_INVALID, pointer + "/period", "the period ends before it starts");
                }
            }
        });
    }

    /** case.transfer's caseFile and evidence[].attachment name attachments of the envelope. */
    private static void attachments(JsonNode envelope, RuleContext ctx) {
        Set<String> names = new HashSet<>();
        envelope.path("attachments").forEach(a -> {
            if (a.path("name").isTextual()) {
                names.add(a.get("name").asText());
            }
        });
        JsonNode caseFile = envelope.path("payload").path("caseFile");
        for (int i = 0; i < caseFile.size(); i++) {
            JsonNode name = caseFile.get(i);
            if (name.isTextual() && !names.contains(name.asText())) {
                ctx.error(ErrorCode.UNKNOWN_ATTACHMENT, "/payload/caseFile/" + i,
                        "the case file names '" + name.asText() + "', which is not among the envelope's attachments");
            }
        }
        JsonNode evidence = envelope.path("payload").path("evidence");
        for (int i = 0; i < evidence.size(); i++) {
            JsonNode name = evidence.get(i).path("attachment");
            if (name.isTextual() && !names.contains(name.asText())) {
                ctx.error(ErrorCode.UNKNOWN_ATTACHMENT, "/payload/evidence/" + i + "/attachment",
                        "the evidence names '" + name.asText() + "', which is not among the envelope's attachments");
            }
        }
    }

    /** Only well-formed ids are compared; the schema reports malformed ones. */
    private static Optional<UUID> uuid(String s) {
        try {
            return s.length() == 36 ? Optional.of(UUID.fromString(s)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A report or response answers the request named in its envelope. */
    private static void replies(JsonNode envelope, RuleContext ctx) {
        String type = envelope.path("type").asText("");
        if (!Set.of("freeze.report", "info.response", "takedown.report").contains(type)) {
            return;
        }
        Optional<UUID> request = Json.text(envelope.path("payload"), "request").flatMap(ReferenceRules::uuid);
        Optional<UUID> inReplyTo = Json.text(envelope, "inReplyTo").flatMap(ReferenceRules::uuid);
        if (request.isPresent() && inReplyTo.isPresent() && !request.get().equals(inReplyTo.get())) {
            ctx.error(ErrorCode.IN_REPLY_TO_MISMATCH, "/payload/request",
                    "the request answered differs from the envelope's inReplyTo");
        }
    }
}
