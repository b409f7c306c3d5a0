package vn.lienthong.schemas.ids;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** Unicode handling of Vietnamese names: NFC normalization, search folding and name equality. */
public final class VietnameseText {

    // \p{Z} adds the no-break and other Unicode spaces that \s misses (common in pasted text).
    private static final Pattern SPACES = Pattern.compile("[\\s\\p{Z}]+");
    private static final Pattern FOLD_SEPARATORS =
            Pattern.compile("[\\s\\p{Z}\\-\\u2010-\\u2015\\u2212.]+");
    private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");

    private VietnameseText() {
    }

    /**
     * The NFC form, or {@code null} for {@code null}. Vietnamese arrives both precomposed and
     * decomposed (macOS, some Word exports); NFC makes equal names equal strings.
     */
    public static String nfc(String s) {
        return s == null ? null : Normalizer.normalize(s, Normalizer.Form.NFC);
    }

    /**
     * A search key without diacritics: NFC, combining marks stripped, đ/Đ → d, lower case, runs of
     * white space, hyphens, dashes and dots collapsed to one space, trimmed. {@code null} for
     * {@code null}. For search and suggestions only: it merges distinct names ("Hà Nam", "Hạ Nam").
     */
    public static String fold(String s) {
        if (s == null) {
            return null;
        }
        // Decompose to split tone and vowel marks from their letters; đ has no decomposition.
        String stripped = COMBINING_MARKS.matcher(Normalizer.normalize(nfc(s), Normalizer.Form.NFD))
                .replaceAll("")
                .replace('đ', 'd')
                .replace('Đ', 'd')
                .toLowerCase(Locale.ROOT);
        return FOLD_SEPARATORS.matcher(stripped).replaceAll(" ").trim();
    }

    /**
     * Whether two names are the same: equal NFC forms ignoring case and the width of white-space
     * runs. Diacritics count ("Hà Nam" is not "Hạ Nam"); {@code false} if either is {@code null}.
     */
    public static boolean sameName(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return nameKey(a).equals(nameKey(b));
    }

    /** The key {@link #sameName} compares, so callers can index names once. */
    static String nameKey(String s) {
        return SPACES.matcher(nfc(s)).replaceAll(" ").trim().toLowerCase(Locale.ROOT);
    }
}
