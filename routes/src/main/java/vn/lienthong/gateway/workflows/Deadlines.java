package vn.lienthong.gateway.workflows;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;
import vn.lienthong.schemas.ids.WorkingDayCalendar;

/**
 * When answers are due: durations on the clock, working days on the calendar (weekends, holidays,
 * Tết and swapped days of the bundled or configured holiday list), in Viet Nam's time.
 */
public final class Deadlines {

    /** Viet Nam's time zone: a working day ends at midnight there. */
    public static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");

    private final WorkingDayCalendar calendar;

    /** Deadlines on this calendar. */
    public Deadlines(WorkingDayCalendar calendar) {
        this.calendar = Objects.requireNonNull(calendar, "calendar");
    }

    /**
     * When an answer counted from {@code from} is due: {@code from} plus the duration, or the end
     * (midnight, Viet Nam time) of the n-th working day after the day of {@code from}.
     */
    public Instant due(WorkflowSettings.Sla sla, Instant from) {
        if (sla.within() != null) {
            return from.plus(sla.within());
        }
        LocalDate day = from.atZone(VIETNAM).toLocalDate();
        return calendar.addWorkingDays(day, sla.workingDays()).plusDays(1).atStartOfDay(VIETNAM).toInstant();
    }

    /** The calendar the deadlines count on. */
    public WorkingDayCalendar calendar() {
        return calendar;
    }
}
