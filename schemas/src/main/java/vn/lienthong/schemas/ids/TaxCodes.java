package vn.lienthong.schemas.ids;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vn.lienthong.schemas.errors.ErrorCode;

/**
 * Rules for the Vietnamese tax code (MST): 10 digits with a check digit, the same plus a branch
 * number 001–999, or since 1 July 2025 a 12-digit personal ID number (Circular 86/2024/TT-BTC).
 */
public final class TaxCodes {

    // N1..N9 weights; check digit N10 = 10 - (sum mod 11), no valid code when that is 10.
    private static final int[] WEIGHTS = {31, 29, 23, 19, 17, 13, 7, 5, 3};
    private static final Pattern TEN = Pattern.compile("[0-9]{10}");
    private static final Pattern WITH_BRANCH = Pattern.compile("([0-9]{10})-?([0-9]{3})");
    private static final Pattern TWELVE = Pattern.compile("[0-9]{12}");
    private static final Pattern DIGITS_AND_HYPHENS = Pattern.compile("[0-9-]+");

    private TaxCodes() {
    }

    /**
     * Checks a tax code; the normalized form is the trimmed code, with a branch written
     * {@code NNNNNNNNNN-BBB}. Every failure is {@link ErrorCode#INVALID_TAX_CODE}.
     */
    public static IdCheck check(String raw) {
        if (raw == null) {
            return invalid("tax code is missing");
        }
        String s = raw.strip();
        if (s.isEmpty()) {
            return invalid("tax code is empty");
        }
        if (TEN.matcher(s).matches()) {
            String problem = problemOfTen(s);
            return problem == null ? IdCheck.ok(s) : invalid(problem);
        }
        Matcher branch = WITH_BRANCH.matcher(s);
        if (branch.matches()) {
            String problem = problemOfTen(branch.group(1));
            if (problem != null) {
                return invalid(problem);
            }
            if (branch.group(2).equals("000")) {
                return invalid("tax code branch number must be between 001 and 999");
            }
            return IdCheck.ok(branch.group(1) + "-" + branch.group(2));
        }
        if (TWELVE.matcher(s).matches()) {
            // A personal ID number has no check digit; only its province prefix can be checked.
            IdCheck id = Cccds.check(s, null);
            return id.valid() ? IdCheck.ok(s)
                    : invalid("12-digit tax code is not a valid personal ID number: " + id.problem());
        }
        if (!DIGITS_AND_HYPHENS.matcher(s).matches()) {
            return invalid("tax code must contain only digits, with an optional hyphen before the branch number");
        }
        if (s.indexOf('-') >= 0) {
            return invalid("tax code with a branch must be 10 digits, a hyphen and 3 digits");
        }
        return invalid("tax code must be 10, 12 or 13 digits, got " + s.length());
    }

    /** The kind of a valid tax code; {@link IllegalArgumentException} if it is not valid. */
    public static TaxCodeKind kind(String normalized) {
        IdCheck c = check(normalized);
        if (!c.valid()) {
            throw new IllegalArgumentException(c.problem());
        }
        String s = c.normalized();
        if (s.length() == 12) {
            return TaxCodeKind.PERSONAL;
        }
        return s.length() == 10 ? TaxCodeKind.ENTERPRISE : TaxCodeKind.BRANCH;
    }

    private static String problemOfTen(String s) {
        if (s.substring(2, 9).equals("0000000")) {
            return "tax code sequence (digits 3 to 9) must not be 0000000";
        }
        int sum = 0;
        for (int i = 0; i < WEIGHTS.length; i++) {
            sum += (s.charAt(i) - '0') * WEIGHTS[i];
        }
        int check = 10 - sum % 11;
        if (check == 10) {
            return "tax code first nine digits admit no check digit";
        }
        return check == s.charAt(9) - '0' ? null : "tax code check digit does not match";
    }

    private static IdCheck invalid(String problem) {
        return IdCheck.invalid(ErrorCode.INVALID_TAX_CODE, problem);
    }
}
