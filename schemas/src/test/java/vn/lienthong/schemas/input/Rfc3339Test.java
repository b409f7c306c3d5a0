package vn.lienthong.schemas.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The digit-by-digit reading gives what the JDK's parse gives: the same value, or the same error. */
class Rfc3339Test {

    @ParameterizedTest
    @ValueSource(strings = {
        "2026-11-20T08:05:00+07:00", "2026-11-20T08:05:00Z", "2026-11-20T08:05:00-00:00", "2026-11-20T08:05:00-05:30",
        "2026-11-20T08:05:00.5+07:00", "2026-11-20T08:05:00.123456789Z", "2026-11-20T08:05:00.1234567891Z",
        "2026-11-20T08:05:00.+07:00", "2026-11-20t08:05:00z", "2026-11-20T08:05+07:00", "2026-11-20T08:05:00+0700",
        "2026-11-20T08:05:00+07", "2026-11-20T08:05:00+07:00:30", "2026-11-20T08:05:00+18:00", "2026-11-20T08:05:00+18:30",
        "2026-11-20T08:05:00+19:00", "2026-11-20T08:05:00+07:60", "2026-02-29T08:05:00Z", "2028-02-29T08:05:00Z",
        "2026-02-30T08:05:00Z", "2026-13-01T08:05:00Z", "2026-00-01T08:05:00Z", "2026-11-20T24:00:00Z",
        "2026-11-20T23:59:60Z", "2026-11-20T23:60:00Z", "0000-01-01T00:00:00Z", "+12026-11-20T08:05:00Z",
        "2026-11-20T08:05:00+07:00[Asia/Ho_Chi_Minh]", "2026-11-20T08:05:00", "2026-11-20 08:05:00+07:00",
        "2026-1-20T08:05:00+07:00", "２026-11-20T08:05:00+07:00", "2026-11-20T08:05:00+07:00 ", "", "x",
        "2026-11-20T08:05:00.000+07:00", "2026-11-20T08:05:0a+07:00", "2026-11-20T08:05:00Z0"})
    void dateTimesReadAsTheJdkReadsThem(String s) {
        assertSame(s, Rfc3339::offsetDateTime, OffsetDateTime::parse);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-20", "2026-02-29", "2028-02-29", "2026-02-30", "2026-13-01", "2026-00-10",
        "2026-11-00", "0000-01-01", "+12026-11-20", "2026-1-20", "2026/11/20", "2026-11-20T00:00:00Z", "2026-11-2x", ""})
    void datesReadAsTheJdkReadsThem(String s) {
        assertSame(s, Rfc3339::date, LocalDate::parse);
    }

    private static <T> void assertSame(String s, Function<String, T> fast, Function<String, T> jdk) {
        Object expected;
        try {
            expected = jdk.apply(s);
        } catch (RuntimeException e) {
            expected = e.getClass().getName() + ": " + e.getMessage();
        }
        Object actual;
        try {
            actual = fast.apply(s);
        } catch (RuntimeException e) {
            actual = e.getClass().getName() + ": " + e.getMessage();
        }
        assertThat(actual).isEqualTo(expected);
    }
}
