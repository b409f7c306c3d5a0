package vn.lienthong.schemas.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.Set;
import vn.lienthong.schemas.errors.ErrorCode;

/**
 * Facts cannot lie in the future: timestamps of things that happened (created, detected, executed,
 * issued...) may be ahead of the gateway's clock only by the tolerance for clock skew. A deadline
 * must come after the message was created.
 */
final class TimeRules {

    /** Members that record when something happened, wherever they stand. */
    private static final Set<String> PAST_DATE_TIMES =
            Set.of("createdAt", "detectedAt", "executedAt", "reportedAt", "removedAt", "capturedAt", "receivedAt");
    /** Members that give the date of a document or event. */
    private static final Set<String> PAST_DATES = Set.of("date", "issuedOn", "registeredOn");

    private TimeRules() {
    }

    static void check(JsonNode envelope, RuleContext ctx) {
        Json.forEachObject(envelope, "", (pointer, object) -> {
            for (String field : PAST_DATE_TIMES) {
                Json.dateTime(object, field).ifPresent(t -> {
                    if (t.toInstant().isAfter(ctx.latestAllowed())) {
                        ctx.error(ErrorCode.DATE_IN_FUTURE, pointer + "/" + field, field + " lies in the future ("
                                + "more than " + ctx.settings().futureTolerance().toMinutes() + " minutes ahead of the gateway)");
                    }
                });
            }
            for (String field : PAST_DATES) {
                Json.date(object, field).ifPresent(d -> {
                    if (d.isAfter(ctx.latestAllowedDate())) {
                        ctx.error(ErrorCode.DATE_IN_FUTURE, pointer + "/" + field, field + " lies in the future");
                    }
                });
            }
        });
        Optional<OffsetDateTime> created = Json.dateTime(envelope, "createdAt");
        Optional<OffsetDateTime> deadline = Json.dateTime(envelope, "deadline");
        if (created.isPresent() && deadline.isPresent() && !deadline.get().isAfter(created.get())) {
            ctx.error(ErrorCode.DEADLINE_BEFORE_CREATED, "/deadline", "the deadline must come after createdAt");
        }
    }
}
