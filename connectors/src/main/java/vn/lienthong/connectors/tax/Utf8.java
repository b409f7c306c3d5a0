package vn.lienthong.connectors.tax;

/**
 * Strict UTF-8 checks (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. Java's
 * {@code new String(bytes, UTF_8)} would silently put U+FFFD in place of bad bytes, which would hide
 * a file written in another encoding (Windows-1258, TCVN3) until the names come out garbled.
 */
final class Utf8 {

    private Utf8() {
    }

    /** Whether every byte is ASCII (the common case, decoded without checks). */
    static boolean isAscii(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** The index of the first byte that is not part of well-formed UTF-8, or -1. */
    static int firstInvalid(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int need;
            int min2 = 0x80;
            int max2 = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                need = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                need = 2;
                if (c == 0xE0) {
                    min2 = 0xA0; // overlong
                } else if (c == 0xED) {
                    max2 = 0x9F; // surrogates
                }
            } else if (c >= 0xF0 && c <= 0xF4) {
                need = 3;
                if (c == 0xF0) {
                    min2 = 0x90; // overlong
                } else if (c == 0xF4) {
                    max2 = 0x8F; // above U+10FFFF
                }
            } else {
                return i;
            }
            if (i + need >= to) {
                return i; // fewer continuation bytes than the lead byte announces
            }
            int c2 = b[i + 1] & 0xFF;
            if (c2 < min2 || c2 > max2) {
                return i;
            }
            for (int k = 2; k <= need; k++) {
                int ck = b[i + k] & 0xFF;
                if (ck < 0x80 || ck > 0xBF) {
                    return i;
                }
            }
            i += need + 1;
        }
        return -1;
    }
}
