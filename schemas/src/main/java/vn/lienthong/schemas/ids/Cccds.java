package vn.lienthong.schemas.ids;

import java.util.regex.Pattern;
import vn.lienthong.schemas.errors.ErrorCode;

/**
 * Rules for the 12-digit CCCD / personal ID number: digits 1–3 the birth-registration province
 * (a pre-2025 province code with a leading zero), digit 4 century and gender, digits 5–6 the last
 * two digits of the birth year, digits 7–12 random. There is no check digit.
 */
public final class Cccds {

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private Cccds() {
    }

    /**
     * Checks a CCCD; when {@code birthYear} is given, a century digit or year digits that
     * contradict it give {@link ErrorCode#CCCD_BIRTH_YEAR_MISMATCH}, every other failure
     * {@link ErrorCode#INVALID_CCCD}. The normalized value is the trimmed number.
     */
    public static IdCheck check(String raw, Integer birthYear) {
        if (raw == null) {
            return invalid("CCCD is missing");
        }
        String s = raw.strip();
        if (s.isEmpty()) {
            return invalid("CCCD is empty");
        }
        if (!DIGITS.matcher(s).matches()) {
            return invalid("CCCD must contain only digits");
        }
        if (s.length() != 12) {
            return invalid("CCCD must be 12 digits, got " + s.length());
        }
        // Birth registration uses the 63 pre-July-2025 codes: people keep their number for life.
        if (s.charAt(0) != '0' || !Provinces.isFormerCode(s.substring(1, 3))) {
            return invalid("CCCD birth-registration province code is not a province code");
        }
        if (birthYear != null) {
            if (Math.floorDiv(birthYear, 100) * 100 != centuryStart(s)) {
                return IdCheck.invalid(ErrorCode.CCCD_BIRTH_YEAR_MISMATCH,
                        "CCCD century digit does not match the birth year");
            }
            if (Math.floorMod(birthYear, 100) != yearDigits(s)) {
                return IdCheck.invalid(ErrorCode.CCCD_BIRTH_YEAR_MISMATCH,
                        "CCCD birth-year digits do not match the birth year");
            }
        }
        return IdCheck.ok(s);
    }

    /** The birth year a valid CCCD encodes (digit 4 gives the century, digits 5–6 the year). */
    public static int birthYear(String valid) {
        String s = requireValid(valid);
        return centuryStart(s) + yearDigits(s);
    }

    /** The gender a valid CCCD encodes (digit 4: even male, odd female). */
    public static Gender gender(String valid) {
        String s = requireValid(valid);
        return (s.charAt(3) - '0') % 2 == 0 ? Gender.MALE : Gender.FEMALE;
    }

    // 0/1 → 1900, 2/3 → 2000, 4/5 → 2100, 6/7 → 2200, 8/9 → 2300.
    private static int centuryStart(String s) {
        return 1900 + (s.charAt(3) - '0') / 2 * 100;
    }

    private static int yearDigits(String s) {
        return Integer.parseInt(s.substring(4, 6));
    }

    private static String requireValid(String valid) {
        IdCheck c = check(valid, null);
        if (!c.valid()) {
            throw new IllegalArgumentException(c.problem());
        }
        return c.normalized();
    }

    private static IdCheck invalid(String problem) {
        return IdCheck.invalid(ErrorCode.INVALID_CCCD, problem);
    }
}
