package vn.lienthong.schemas.ids;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import vn.lienthong.schemas.errors.ErrorCode;

/**
 * NAPAS/VietQR bank BINs ({@code 970xxx}) from the bundled {@code banks.json}, and the shape of
 * bank account numbers.
 */
public final class Banks {

    /** A bank: 6-digit NAPAS BIN, short name and full Vietnamese name. */
    public record Bank(String bin, String shortName, String name) {
    }

    private static final Pattern SIX_DIGITS = Pattern.compile("[0-9]{6}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    // No national format (no IBAN): the bounds cover the lengths banks issue, nothing more.
    private static final int ACCOUNT_MIN = 6;
    private static final int ACCOUNT_MAX = 19;

    private static final Map<String, Bank> BY_BIN = load();

    private Banks() {
    }

    /** Every bank of the bundled list, in BIN order. */
    public static List<Bank> all() {
        return List.copyOf(BY_BIN.values());
    }

    /** The bank with this BIN, if it is in the bundled list. */
    public static Optional<Bank> byBin(String bin) {
        return bin == null ? Optional.empty() : Optional.ofNullable(BY_BIN.get(bin.strip()));
    }

    /** Checks a BIN: 6 digits, starting 970, in the bundled list; else {@link ErrorCode#UNKNOWN_BANK_BIN}. */
    public static IdCheck checkBin(String bin) {
        if (bin == null || bin.isBlank()) {
            return unknown("bank BIN is missing");
        }
        String s = bin.strip();
        if (!SIX_DIGITS.matcher(s).matches()) {
            return unknown("bank BIN must be 6 digits");
        }
        if (!s.startsWith("970")) {
            return unknown("bank BIN must be a NAPAS BIN starting with 970");
        }
        if (!BY_BIN.containsKey(s)) {
            return unknown("bank BIN is not in the bundled NAPAS bank list");
        }
        return IdCheck.ok(s);
    }

    /**
     * Checks an account number: digits only, 6 to 19 long, no check digit. There is no error code
     * for accounts, so failures are {@link ErrorCode#SCHEMA_PATTERN}.
     */
    public static IdCheck checkAccountNumber(String account) {
        if (account == null || account.isBlank()) {
            return pattern("account number is missing");
        }
        String s = account.strip();
        if (!DIGITS.matcher(s).matches()) {
            return pattern("account number must contain only digits");
        }
        if (s.length() < ACCOUNT_MIN || s.length() > ACCOUNT_MAX) {
            return pattern("account number must be " + ACCOUNT_MIN + " to " + ACCOUNT_MAX
                    + " digits, got " + s.length());
        }
        return IdCheck.ok(s);
    }

    private static IdCheck unknown(String problem) {
        return IdCheck.invalid(ErrorCode.UNKNOWN_BANK_BIN, problem);
    }

    private static IdCheck pattern(String problem) {
        return IdCheck.invalid(ErrorCode.SCHEMA_PATTERN, problem);
    }

    private static Map<String, Bank> load() {
        JsonNode root = BundledJson.resource("banks.json");
        BundledJson.text(root, "source");
        Map<String, Bank> banks = new LinkedHashMap<>();
        for (JsonNode n : BundledJson.array(root, "banks")) {
            Bank b = new Bank(BundledJson.text(n, "bin"), VietnameseText.nfc(BundledJson.text(n, "shortName")),
                    VietnameseText.nfc(BundledJson.text(n, "name")));
            if (!SIX_DIGITS.matcher(b.bin()).matches() || !b.bin().startsWith("970")) {
                throw new IllegalStateException("bank BIN must be 970xxx: " + b.bin());
            }
            if (banks.put(b.bin(), b) != null) {
                throw new IllegalStateException("duplicate bank BIN " + b.bin());
            }
        }
        return Collections.unmodifiableMap(banks);
    }
}
