package vn.lienthong.schemas;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import vn.lienthong.schemas.ids.WorkingDayCalendar;

/**
 * Limits and reference data of the validator.
 *
 * @param maxBytes largest accepted body; attachments travel by reference, so 5 MB is generous
 * @param maxNestingDepth deepest nesting of arrays and objects; the schemas need fewer than 12
 * @param clock the time "now" is read from (tests fix it)
 * @param zone the legal time zone: dates and working days are counted in Vietnam's time
 * @param futureTolerance how far past "now" a timestamp may lie (clock skew between agencies)
 * @param calendar working days and public holidays
 * @param maxDelayWorkingDays the longest DELAY, in working days (AML Law 2022 art. 44: 3)
 * @param reportingConvention which spans a periodic report's month, quarter, half-year and year may cover
 */
public record ValidatorSettings(
        int maxBytes,
        int maxNestingDepth,
        Clock clock,
        ZoneId zone,
        Duration futureTolerance,
        WorkingDayCalendar calendar,
        int maxDelayWorkingDays,
        ReportingConvention reportingConvention) {

    /** Vietnam's legal time. */
    public static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");

    public ValidatorSettings {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        if (maxNestingDepth < 8) {
            throw new IllegalArgumentException("maxNestingDepth must be at least 8");
        }
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(futureTolerance, "futureTolerance");
        Objects.requireNonNull(calendar, "calendar");
        if (maxDelayWorkingDays < 1) {
            throw new IllegalArgumentException("maxDelayWorkingDays must be at least 1");
        }
        Objects.requireNonNull(reportingConvention, "reportingConvention");
    }

    /** The defaults: 5 MB, depth 32, system clock, Vietnam, 5 minutes, bundled calendar, 3 days, either month. */
    public static ValidatorSettings defaults() {
        return new ValidatorSettings(5 * 1024 * 1024, 32, Clock.systemUTC(), VIETNAM,
                Duration.ofMinutes(5), WorkingDayCalendar.vietnam(), 3, ReportingConvention.EITHER);
    }

    /** A copy with another clock. */
    public ValidatorSettings withClock(Clock other) {
        return new ValidatorSettings(maxBytes, maxNestingDepth, other, zone, futureTolerance, calendar,
                maxDelayWorkingDays, reportingConvention);
    }

    /** A copy with another size limit. */
    public ValidatorSettings withMaxBytes(int other) {
        return new ValidatorSettings(other, maxNestingDepth, clock, zone, futureTolerance, calendar,
                maxDelayWorkingDays, reportingConvention);
    }

    /** A copy with another reporting convention. */
    public ValidatorSettings withReportingConvention(ReportingConvention other) {
        return new ValidatorSettings(maxBytes, maxNestingDepth, clock, zone, futureTolerance, calendar,
                maxDelayWorkingDays, other);
    }
}
