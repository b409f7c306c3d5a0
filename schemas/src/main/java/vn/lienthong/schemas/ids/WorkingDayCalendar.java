package vn.lienthong.schemas.ids;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Working days in Viet Nam from a JSON holiday list (the bundled {@code holidays-vn.json}, or a
 * deployment's corrected copy): weekends and listed days off are non-working, and outside the
 * listed years ({@link #covers}) only weekends are known, so holidays there count as working days.
 */
public final class WorkingDayCalendar {

    /** A listed date: a day off (holiday, Tết, compensatory or swapped day) or a weekend day worked. */
    public record SpecialDay(LocalDate date, String name, boolean dayOff, boolean confirmed) {
    }

    private final Set<Integer> years;
    private final Set<DayOfWeek> weekend;
    private final Map<LocalDate, SpecialDay> special;

    private WorkingDayCalendar(Set<Integer> years, Set<DayOfWeek> weekend, Map<LocalDate, SpecialDay> special) {
        this.years = years;
        this.weekend = weekend;
        this.special = special;
    }

    // Lazy, so that a broken bundled file does not stop callers that load their own.
    private static final class Bundled {
        static final WorkingDayCalendar VIETNAM = parse(BundledJson.resource("holidays-vn.json"));
    }

    /** The calendar of the bundled {@code holidays-vn.json}. */
    public static WorkingDayCalendar vietnam() {
        return Bundled.VIETNAM;
    }

    /**
     * A calendar from JSON in the bundled file's format; {@link IllegalArgumentException} when the
     * data is inconsistent (a date outside the listed years, listed twice, or a weekday "worked").
     */
    public static WorkingDayCalendar load(InputStream json) {
        return parse(BundledJson.read(Objects.requireNonNull(json, "json")));
    }

    /** Whether the date is a working day (a listed weekend day worked counts; a listed day off does not). */
    public boolean isWorkingDay(LocalDate date) {
        SpecialDay s = special.get(Objects.requireNonNull(date, "date"));
        if (s != null) {
            return !s.dayOff();
        }
        return !weekend.contains(date.getDayOfWeek());
    }

    /** The n-th working day after {@code start} ({@code start} not counted); {@code start} itself for n = 0. */
    public LocalDate addWorkingDays(LocalDate start, int n) {
        Objects.requireNonNull(start, "start");
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative");
        }
        LocalDate d = start;
        for (int seen = 0; seen < n; ) {
            d = d.plusDays(1);
            if (isWorkingDay(d)) {
                seen++;
            }
        }
        return d;
    }

    /**
     * The last calendar day of a span of {@code workingDays} working days beginning on {@code start}
     * (counted from the next working day if {@code start} is not one): the day before the following
     * working day, so non-working days right after the last working day belong to the span. Thus
     * {@code !end.isAfter(lastDayOfSpan(start, n))} exactly when
     * {@code workingDaysInclusive(start, end) <= n}.
     */
    public LocalDate lastDayOfSpan(LocalDate start, int workingDays) {
        Objects.requireNonNull(start, "start");
        if (workingDays < 1) {
            throw new IllegalArgumentException("workingDays must be at least 1");
        }
        LocalDate d = start;
        int seen = isWorkingDay(d) ? 1 : 0;
        while (true) {
            d = d.plusDays(1);
            if (isWorkingDay(d) && ++seen > workingDays) {
                return d.minusDays(1);
            }
        }
    }

    /** The number of working days from {@code from} to {@code to}, both included; 0 if {@code to} is before {@code from}. */
    public int workingDaysInclusive(LocalDate from, LocalDate to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        int count = 0;
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            if (isWorkingDay(d)) {
                count++;
            }
        }
        return count;
    }

    /**
     * Whether the calendar knows the holidays of this date's year; for other years only weekends
     * are known, so callers counting legal deadlines there should warn or refuse.
     */
    public boolean covers(LocalDate date) {
        return years.contains(Objects.requireNonNull(date, "date").getYear());
    }

    /** The listed holiday or worked weekend day on this date, if any. */
    public Optional<SpecialDay> specialDay(LocalDate date) {
        return Optional.ofNullable(special.get(Objects.requireNonNull(date, "date")));
    }

    /** The listed days not yet confirmed by law or decision, in date order (to warn about at start-up). */
    public List<SpecialDay> unconfirmed() {
        List<SpecialDay> list = new ArrayList<>();
        special.values().stream().filter(s -> !s.confirmed()).forEach(list::add);
        return List.copyOf(list);
    }

    private static WorkingDayCalendar parse(JsonNode root) {
        BundledJson.text(root, "source");
        Set<Integer> years = new TreeSet<>();
        for (JsonNode y : BundledJson.array(root, "years")) {
            if (!y.canConvertToInt()) {
                throw new IllegalArgumentException("years must be integers");
            }
            years.add(y.intValue());
        }
        if (years.isEmpty()) {
            throw new IllegalArgumentException("years must not be empty");
        }
        Set<DayOfWeek> weekend = EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
        JsonNode w = root.get("weekend");
        if (w != null) {
            weekend = EnumSet.noneOf(DayOfWeek.class);
            for (JsonNode day : w) {
                weekend.add(DayOfWeek.valueOf(day.asText()));
            }
        }
        if (weekend.size() == DayOfWeek.values().length) {
            throw new IllegalArgumentException("a weekend of seven days leaves no working day");
        }
        Map<LocalDate, SpecialDay> special = new TreeMap<>();
        for (JsonNode n : BundledJson.array(root, "holidays")) {
            add(special, years, entry(n, true));
        }
        JsonNode worked = root.get("workingDays");
        if (worked != null) {
            for (JsonNode n : worked) {
                SpecialDay s = entry(n, false);
                if (!weekend.contains(s.date().getDayOfWeek())) {
                    throw new IllegalArgumentException(s.date() + " is listed as worked but is not a weekend day");
                }
                add(special, years, s);
            }
        }
        return new WorkingDayCalendar(Collections.unmodifiableSet(years),
                Collections.unmodifiableSet(weekend), Collections.unmodifiableMap(special));
    }

    private static SpecialDay entry(JsonNode n, boolean dayOff) {
        LocalDate date;
        try {
            date = LocalDate.parse(BundledJson.text(n, "date"));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("bad date in " + n, e);
        }
        JsonNode confirmed = n.get("confirmed");
        if (confirmed == null || !confirmed.isBoolean()) {
            throw new IllegalArgumentException("'confirmed' must be true or false in " + n);
        }
        BundledJson.text(n, "source");
        return new SpecialDay(date, VietnameseText.nfc(BundledJson.text(n, "name")), dayOff, confirmed.booleanValue());
    }

    private static void add(Map<LocalDate, SpecialDay> special, Set<Integer> years, SpecialDay s) {
        if (!years.contains(s.date().getYear())) {
            throw new IllegalArgumentException(s.date() + " lies outside the listed years");
        }
        if (special.put(s.date(), s) != null) {
            throw new IllegalArgumentException(s.date() + " is listed twice");
        }
    }
}
