package vn.lienthong.gateway.logging;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks credentials in text meant for a log: JSON Web Tokens (a token, a signed receipt or any
 * other compact JWS/JWE), the value after an HTTP authorization scheme ({@code Bearer},
 * {@code Basic}, ...), the value of any key naming a secret ({@code client_secret=},
 * {@code "password": "..."}, {@code spring.datasource.password=}, {@code accessToken=}), and the
 * password in a URL's user info ({@code sftp://user:password@host}).
 *
 * <p>It works on the text as written, not on what a library meant to log, so it holds for every
 * library, every argument and every exception message or stack trace: the logback layout
 * ({@link MaskingPatternLayout}) applies it to each whole formatted event. It errs on the side of
 * masking: a word after {@code password:} in prose is masked too.
 */
public final class SecretMask {

    /** What stands in place of a masked value. */
    public static final String MASK = "****";

    /** A compact JWS or JWE (also cut short): its header is base64url JSON, so it opens with "eyJ". */
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}(?:\\.[A-Za-z0-9_-]*){0,4}");

    /** An HTTP authorization scheme and its credentials (RFC 9110 §11.4), also URL-encoded. */
    private static final Pattern SCHEME = Pattern.compile(
            "(?i)\\b(bearer|dpop|mac)((?:\\s|%20|\\+)+)([A-Za-z0-9._~+/=-]+)"
                    + "|\\b(basic|digest|negotiate)((?:\\s|%20|\\+)+)([A-Za-z0-9+/_-]{8,}={0,2})");

    /**
     * A key naming a secret, with any prefix ({@code spring.datasource.password},
     * {@code gatewaySftpPassword}), then {@code =} or {@code :} (also URL-encoded), then its value:
     * quoted, Camel's {@code RAW(...)}, or up to a separator.
     */
    private static final Pattern KEYED = Pattern.compile(
            "(?i)([A-Za-z0-9_.-]*(?:secret|password|passwd|pwd|passphrase|credentials?|api[_-]?key|private[_-]?key"
                    + "|(?:access|refresh|id|bearer|session)[_-]?token)[\"']?\\s*(?:[:=]|%3[Dd]|%3[Aa])\\s*)"
                    + "(\"[^\"]*\"|'[^']*'|RAW\\([^)]*\\)|RAW\\{[^}]*\\}|[^\\s\"'&,;}\\])]+)");

    /** The password of a URL's user info. */
    private static final Pattern USER_INFO = Pattern.compile("(\\b[A-Za-z][A-Za-z0-9+.-]*://[^/\\s:@]*:)([^@\\s/]+)(@)");

    private SecretMask() {
    }

    /** The text with every credential it holds masked; the same string when it holds none. */
    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = replace(JWT, text, m -> MASK);
        masked = replace(SCHEME, masked, m -> m.group(1) != null ? m.group(1) + m.group(2) + MASK
                : m.group(4) + m.group(5) + MASK);
        masked = replace(KEYED, masked, m -> m.group(1) + quoted(m.group(2)));
        return replace(USER_INFO, masked, m -> m.group(1) + MASK + m.group(3));
    }

    /** A masked value keeps its quotes or RAW(...) wrapper, so the line still reads as it was written. */
    private static String quoted(String value) {
        if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')) {
            return value.charAt(0) + MASK + value.charAt(0);
        }
        if (value.startsWith("RAW(")) {
            return "RAW(" + MASK + ")";
        }
        if (value.startsWith("RAW{")) {
            return "RAW{" + MASK + "}";
        }
        return MASK;
    }

    private static String replace(Pattern pattern, String text, Function<Matcher, String> replacement) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        do {
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement.apply(matcher)));
        } while (matcher.find());
        matcher.appendTail(out);
        return out.toString();
    }
}
