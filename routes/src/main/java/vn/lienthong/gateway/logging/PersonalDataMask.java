package vn.lienthong.gateway.logging;

import java.util.regex.Pattern;

/**
 * Masks personal identifiers in text meant for a log: any run of 9 to 19 digits that stands alone
 * (a CCCD has 12, a person's or company's tax code 10, or 13 written {@code 0312345678-001}, a bank
 * account 9 to 19, a phone number 10), and phone numbers written in groups or with {@code +84}.
 *
 * <p>Like {@link SecretMask} it works on the line as written, for every library, and errs on the
 * side of masking: a long number that is no identifier (an epoch in milliseconds, a Kafka offset
 * past a billion) is masked too; message ids (UUIDs), hashes and times are not (their digit runs
 * touch letters or dashes, or are short).
 */
public final class PersonalDataMask {

    /** What stands in place of a masked identifier. */
    public static final String MASK = "#########";

    /**
     * A standalone digit run of 9 to 19 (a 13-digit tax code's branch suffix with it); not part of
     * a word, a UUID, a hash or a decimal number.
     */
    private static final Pattern DIGITS = Pattern.compile("(?<![\\p{L}\\p{N}_.\\-])\\d{9,19}(?:-\\d{3})?(?![\\p{L}\\p{N}_])");

    /** A Vietnamese phone number written in groups ({@code 0912 345 678}, {@code +84 912.345.678}). */
    private static final Pattern PHONE = Pattern.compile(
            "(?<![\\p{L}\\p{N}_.\\-])(?:\\+84|0)[ .-]?\\d{2,3}[ .-]\\d{3}[ .-]\\d{3,4}(?![\\p{L}\\p{N}_])");

    private PersonalDataMask() {
    }

    /** The text with every personal identifier it holds masked; the same string when it holds none. */
    public static String mask(String text) {
        if (text == null || text.length() < 9) {
            return text;
        }
        String masked = PHONE.matcher(text).replaceAll(MASK);
        return DIGITS.matcher(masked).replaceAll(MASK);
    }
}
