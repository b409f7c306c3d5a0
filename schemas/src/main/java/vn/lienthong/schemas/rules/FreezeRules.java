package vn.lienthong.schemas.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import vn.lienthong.schemas.errors.ErrorCode;

/**
 * Rules of freeze.request that JSON Schema cannot state: the period's order, and the length of a
 * DELAY in working days (AML Law 2022 art. 44: at most 3), counted in Vietnam's time on the
 * holiday calendar. The span starts on the start's date (counted when it is a working day) and
 * ends at the close of its last working day.
 */
final class FreezeRules {

    private FreezeRules() {
    }

    static void check(JsonNode payload, RuleContext ctx) {
        String measure = payload.path("measure").asText("");
        Optional<OffsetDateTime> start = Json.dateTime(payload, "start");
        Optional<OffsetDateTime> end = Json.dateTime(payload, "end");
        if (start.isEmpty() || end.isEmpty()) {
            return;
        }
        if (!end.get().isAfter(start.get())) {
            ctx.error(ErrorCode.FREEZE_PERIOD_INVALID, "/payload/end", "the end must be after the start");
            return;
        }
        if (measure.equals("DELAY")) {
            int days = ctx.settings().maxDelayWorkingDays();
            ZoneId zone = ctx.settings().zone();
            LocalDate firstDay = start.get().atZoneSameInstant(zone).toLocalDate();
            LocalDate lastDay = ctx.settings().calendar().lastDayOfSpan(firstDay, days);
            ZonedDateTime latestEnd = lastDay.plusDays(1).atStartOfDay(zone);
            if (end.get().toInstant().isAfter(latestEnd.toInstant())) {
                ctx.error(ErrorCode.DELAY_TOO_LONG, "/payload/end", "a DELAY lasts at most " + days
                        + " working days (AML Law 2022 art. 44): starting " + firstDay + ", it must end by the close of "
                        + lastDay + " (Vietnam time)");
            }
        }
    }
}
