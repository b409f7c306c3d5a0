package vn.lienthong.schemas.input;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * {@link OffsetDateTime#parse} and {@link LocalDate#parse}, the same results and the same
 * exceptions, with the shapes every message carries ({@code 2026-11-20T08:05:00+07:00},
 * {@code 2026-11-20}) read digit by digit: the formatter's general parse costs a microsecond and a
 * few objects per value, and each message has several dates read twice (rules, then binding).
 * Anything else, or a value out of range, goes to the JDK's parse, which decides and words the
 * error.
 */
public final class Rfc3339 {

    private Rfc3339() {
    }

    /** As {@link OffsetDateTime#parse(CharSequence)}. */
    public static OffsetDateTime offsetDateTime(String s) {
        OffsetDateTime fast = fastDateTime(s);
        return fast != null ? fast : OffsetDateTime.parse(s);
    }

    /** As {@link LocalDate#parse(CharSequence)}. */
    public static LocalDate date(String s) {
        if (s.length() == 10 && s.charAt(4) == '-' && s.charAt(7) == '-') {
            int year = digits(s, 0, 4);
            int month = digits(s, 5, 2);
            int day = digits(s, 8, 2);
            if (year >= 0 && month >= 0 && day >= 0) {
                try {
                    return LocalDate.of(year, month, day);
                } catch (DateTimeException outOfRange) {
                    // the JDK's parse words it
                }
            }
        }
        return LocalDate.parse(s);
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:MM)}, or null for any other shape or a field out of
     * range (the ISO formatter also takes a lower-case 't' and 'z', minutes without seconds, and
     * offsets with seconds: those go its way).
     */
    private static OffsetDateTime fastDateTime(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        int at = 19;
        int nanos = 0;
        if (s.charAt(at) == '.') {
            int from = ++at;
            while (at < n && at - from < 10 && s.charAt(at) >= '0' && s.charAt(at) <= '9') {
                at++;
            }
            int count = at - from;
            if (count < 1 || count > 9) {
                return null;
            }
            nanos = digits(s, from, count);
            for (int i = count; i < 9; i++) {
                nanos *= 10;
            }
        }
        ZoneOffset offset;
        if (at == n - 1 && s.charAt(at) == 'Z') {
            offset = ZoneOffset.UTC;
        } else if (at == n - 6 && (s.charAt(at) == '+' || s.charAt(at) == '-') && s.charAt(at + 3) == ':') {
            int oh = digits(s, at + 1, 2);
            int om = digits(s, at + 4, 2);
            if (oh < 0 || om < 0) {
                return null;
            }
            try {
                offset = s.charAt(at) == '+' ? ZoneOffset.ofHoursMinutes(oh, om) : ZoneOffset.ofHoursMinutes(-oh, -om);
            } catch (DateTimeException outOfRange) {
                return null;
            }
        } else {
            return null;
        }
        try {
            return OffsetDateTime.of(LocalDateTime.of(year, month, day, hour, minute, second, nanos), offset);
        } catch (DateTimeException outOfRange) {
            return null;
        }
    }

    /** The value of {@code count} decimal digits at {@code from}, or -1 if one is not a digit. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
