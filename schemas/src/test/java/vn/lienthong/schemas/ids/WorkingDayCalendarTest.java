package vn.lienthong.schemas.ids;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import vn.lienthong.schemas.ids.WorkingDayCalendar.SpecialDay;

class WorkingDayCalendarTest {

    private final WorkingDayCalendar cal = WorkingDayCalendar.vietnam();

    private static LocalDate d(String iso) {
        return LocalDate.parse(iso);
    }

    @ParameterizedTest
    @CsvSource({
        "2025-04-25, true",   // Fri
        "2025-04-26, true",   // Sat worked in exchange for Fri 2 May
        "2025-04-27, false",  // Sun
        "2025-04-29, true",   // Tue
        "2025-04-30, false",  // Ngày Chiến thắng
        "2025-05-01, false",  // Quốc tế Lao động
        "2025-05-02, false",  // swapped day off
        "2025-05-05, true",
        "2025-01-27, false",  // Tết 2025 (28 tháng Chạp)
        "2025-02-03, true",   // back after Tết 2025
        "2025-09-01, false",
        "2025-09-02, false",
        "2026-01-02, false",  // swapped day off
        "2026-01-10, true",   // Sat worked in exchange
        "2026-02-20, false",  // Tết 2026 (mùng 4)
        "2026-02-23, true",
        "2026-04-26, false",  // Hùng Kings on a Sunday
        "2026-04-27, false",  // its compensatory Monday
        "2027-05-03, false",  // compensatory Monday for 1 May 2027 (a Saturday)
        "2030-01-01, true",   // outside the calendar: only weekends are known
        "2030-01-05, false",  // a Saturday outside the calendar
    })
    void workingDays(String date, boolean working) {
        assertThat(cal.isWorkingDay(d(date))).isEqualTo(working);
    }

    @ParameterizedTest
    @CsvSource({
        "2025-01-25, 2025-02-02",   // Tết 2025: 9 days including weekends
        "2025-04-30, 2025-05-04",   // 30 April to 4 May 2025 (with the swap)
        "2025-08-30, 2025-09-02",   // National Day 2025
        "2026-01-01, 2026-01-04",   // New Year 2026 (with the swap)
        "2026-02-14, 2026-02-22",   // Tết 2026: 14 to 22 February
        "2026-04-25, 2026-04-27",   // Hùng Kings 2026 with its compensatory day
        "2026-04-30, 2026-05-03",
    })
    void breaksAreWhollyNonWorking(String from, String to) {
        assertThat(cal.workingDaysInclusive(d(from), d(to))).isZero();
        assertThat(cal.isWorkingDay(d(from).minusDays(1)) || cal.isWorkingDay(d(to).plusDays(1))).isTrue();
    }

    @Test
    void delayFromFriday25April2025() {
        // 25 Apr (Fri) 1, 26 Apr (Sat, worked for 2 May) 2, 28 Apr (Mon) 3; 29 Apr is the 4th.
        assertThat(cal.lastDayOfSpan(d("2025-04-25"), 3)).isEqualTo(d("2025-04-28"));
        assertThat(cal.addWorkingDays(d("2025-04-25"), 3)).isEqualTo(d("2025-04-29"));
        assertThat(cal.workingDaysInclusive(d("2025-04-25"), d("2025-04-28"))).isEqualTo(3);
        assertThat(cal.workingDaysInclusive(d("2025-04-25"), d("2025-04-29"))).isEqualTo(4);
    }

    @Test
    void delayFromTuesday29April2025CrossesTheHolidays() {
        // 29 Apr 1; 30 Apr, 1 May, 2 May (swap), 3-4 May off; 5 May 2, 6 May 3; 7 May is the 4th.
        assertThat(cal.lastDayOfSpan(d("2025-04-29"), 3)).isEqualTo(d("2025-05-06"));
        assertThat(cal.addWorkingDays(d("2025-04-29"), 1)).isEqualTo(d("2025-05-05"));
    }

    @Test
    void withoutTheSwapTheSameDelayRunsOverTheHolidays() {
        // Only the statutory days: 25, 28, 29 Apr are the 3 working days; 30 Apr and 1 May are off,
        // Fri 2 May is the 4th working day, so the span ends on Thu 1 May.
        WorkingDayCalendar statutory = WorkingDayCalendar.load(json("""
                {"source": "test", "years": [2025], "holidays": [
                  {"date": "2025-04-30", "name": "30/4", "confirmed": true, "source": "test"},
                  {"date": "2025-05-01", "name": "1/5", "confirmed": true, "source": "test"}]}
                """));
        assertThat(statutory.lastDayOfSpan(d("2025-04-25"), 3)).isEqualTo(d("2025-05-01"));
        assertThat(statutory.addWorkingDays(d("2025-04-25"), 3)).isEqualTo(d("2025-05-02"));
        assertThat(statutory.isWorkingDay(d("2025-04-26"))).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        // start,    days, lastDayOfSpan
        "2026-02-12, 3, 2026-02-23",  // 12, 13 Feb, then Tết 14-22; 23 Feb is the 3rd
        "2026-02-13, 3, 2026-02-24",  // 13, 23, 24
        "2026-02-14, 3, 2026-02-25",  // starts in Tết: the span begins on 23 Feb
        "2026-02-11, 3, 2026-02-22",  // 11, 12, 13; the days off up to the next working day belong to the span
        "2026-02-16, 1, 2026-02-23",  // starts on a Tết day
        "2025-12-31, 2, 2026-01-05",  // 31 Dec, then 1-4 Jan off; 5 Jan is the 2nd
        "2026-04-24, 3, 2026-05-03",  // 24, 28, 29 Apr; 30 Apr to 3 May off
        "2025-08-29, 1, 2025-09-02",  // 29 Aug; 30 Aug to 2 Sep off
        "2025-04-21, 1, 2025-04-21",  // an ordinary Monday
        "2025-04-19, 1, 2025-04-21",  // starts on a Saturday: span begins on Monday
    })
    void spans(String start, int days, String last) {
        assertThat(cal.lastDayOfSpan(d(start), days)).isEqualTo(d(last));
        assertThat(cal.workingDaysInclusive(d(start), d(last))).isEqualTo(days);
        assertThat(cal.workingDaysInclusive(d(start), d(last).plusDays(1))).isEqualTo(days + 1);
    }

    @ParameterizedTest
    @CsvSource({
        "2026-02-13, 1, 2026-02-23",
        "2026-02-13, 2, 2026-02-24",
        "2026-01-09, 1, 2026-01-10",  // Sat 10 Jan 2026 is worked
        "2025-12-31, 1, 2026-01-05",
        "2026-04-24, 3, 2026-05-04",
        "2025-04-21, 0, 2025-04-21",
        "2025-04-19, 0, 2025-04-19",
    })
    void addWorkingDays(String start, int n, String result) {
        assertThat(cal.addWorkingDays(d(start), n)).isEqualTo(d(result));
    }

    @Test
    void lastDayOfSpanAgreesWithWorkingDaysInclusive() {
        for (LocalDate start = d("2025-01-01"); start.isBefore(d("2027-12-20")); start = start.plusDays(1)) {
            for (int n = 1; n <= 5; n++) {
                LocalDate last = cal.lastDayOfSpan(start, n);
                for (LocalDate end = start; !end.isAfter(last.plusDays(3)); end = end.plusDays(1)) {
                    assertThat(cal.workingDaysInclusive(start, end) <= n)
                            .as("start %s, %d days, end %s", start, n, end)
                            .isEqualTo(!end.isAfter(last));
                }
            }
        }
    }

    @Test
    void workingDaysInclusive() {
        // 2026: 9-13 Feb (5) and 23-27 Feb (5); Tết between.
        assertThat(cal.workingDaysInclusive(d("2026-02-09"), d("2026-02-27"))).isEqualTo(10);
        assertThat(cal.workingDaysInclusive(d("2025-04-21"), d("2025-04-21"))).isEqualTo(1);
        assertThat(cal.workingDaysInclusive(d("2025-04-22"), d("2025-04-21"))).isZero();
        // 2025: 261 weekdays, minus 12 weekday days off, plus Sat 26 Apr worked.
        assertThat(cal.workingDaysInclusive(d("2025-01-01"), d("2025-12-31"))).isEqualTo(250);
    }

    @Test
    void argumentsAreChecked() {
        assertThatThrownBy(() -> cal.addWorkingDays(d("2025-04-21"), -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cal.lastDayOfSpan(d("2025-04-21"), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cal.isWorkingDay(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void coversTheListedYearsOnly() {
        assertThat(cal.covers(d("2025-01-01"))).isTrue();
        assertThat(cal.covers(d("2026-07-01"))).isTrue();
        assertThat(cal.covers(d("2027-12-31"))).isTrue();
        assertThat(cal.covers(d("2024-12-31"))).isFalse();
        assertThat(cal.covers(d("2028-01-01"))).isFalse();
    }

    @Test
    void unconfirmedDaysAreMarked() {
        assertThat(cal.unconfirmed()).extracting(SpecialDay::date).contains(
                d("2026-09-01"), d("2027-02-04"), d("2027-02-10"), d("2027-09-03"));
        assertThat(cal.unconfirmed()).extracting(SpecialDay::date)
                .noneMatch(date -> date.getYear() == 2025)
                .doesNotContain(d("2026-02-17"), d("2026-09-02"));
        assertThat(cal.specialDay(d("2026-02-17"))).get()
                .satisfies(s -> {
                    assertThat(s.confirmed()).isTrue();
                    assertThat(s.dayOff()).isTrue();
                    assertThat(s.name()).contains("Tết");
                });
        assertThat(cal.specialDay(d("2025-04-26"))).get().extracting(SpecialDay::dayOff).isEqualTo(false);
        assertThat(cal.specialDay(d("2025-04-22"))).isEmpty();
    }

    @Test
    void statutoryHolidaysAreInEveryYear() {
        for (int year = 2025; year <= 2027; year++) {
            for (String md : new String[] {"-01-01", "-04-30", "-05-01", "-09-02"}) {
                LocalDate date = d(year + md);
                assertThat(cal.isWorkingDay(date)).as(date.toString()).isFalse();
                assertThat(cal.specialDay(date)).as(date.toString()).isPresent();
            }
        }
        // Hùng Kings, 10/3 lunar
        assertThat(cal.specialDay(d("2025-04-07"))).isPresent();
        assertThat(cal.specialDay(d("2026-04-26"))).isPresent();
        assertThat(cal.specialDay(d("2027-04-16"))).isPresent();
    }

    @Test
    void loadRefusesInconsistentData() {
        assertThatThrownBy(() -> WorkingDayCalendar.load(json("""
                {"source": "t", "years": [2025], "holidays": [
                  {"date": "2026-01-01", "name": "x", "confirmed": true, "source": "t"}]}""")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the listed years");
        assertThatThrownBy(() -> WorkingDayCalendar.load(json("""
                {"source": "t", "years": [2025], "holidays": [
                  {"date": "2025-01-01", "name": "x", "confirmed": true, "source": "t"},
                  {"date": "2025-01-01", "name": "y", "confirmed": true, "source": "t"}]}""")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> WorkingDayCalendar.load(json("""
                {"source": "t", "years": [2025], "holidays": [], "workingDays": [
                  {"date": "2025-04-25", "name": "x", "confirmed": true, "source": "t"}]}""")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a weekend day");
        assertThatThrownBy(() -> WorkingDayCalendar.load(json("""
                {"source": "t", "years": [2025], "holidays": [
                  {"date": "2025-01-01", "name": "x", "source": "t"}]}""")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("confirmed");
        assertThatThrownBy(() -> WorkingDayCalendar.load(json("""
                {"source": "t", "years": [2025], "years": [2026], "holidays": []}""")))
                .isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> WorkingDayCalendar.load(json("""
                {"source": "t", "years": [2025], "holidays": [
                  {"date": "2025-02-30", "name": "x", "confirmed": true, "source": "t"}]}""")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad date");
    }

    private static ByteArrayInputStream json(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
