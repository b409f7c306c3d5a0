package vn.lienthong.gateway.ingress;

import java.util.Optional;
import vn.lienthong.schemas.input.StrictInput;

/**
 * Checks that bytes are well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
 * above U+10FFFF, no sequence cut short), fed in pieces as a stream arrives. Every format this
 * gateway carries is UTF-8, so an input that is not is refused before any connector reads it:
 * nothing decodes it with replacement characters.
 */
public final class StrictUtf8 {

    private long offset;
    /** Continuation bytes still expected of the current sequence. */
    private int needed;
    /** Where the current sequence began, and the bounds of its second byte (overlongs, surrogates, range). */
    private long sequenceStart;
    private int secondLow = 0x80;
    private int secondHigh = 0xBF;
    private boolean second;
    private String problem;
    private long problemAt = -1;
    private int seen;
    private int first = -1;
    private int firstTwo = -1;

    /** The first problem of {@code bytes}, if any: "byte 0xFF at offset 12 ...". */
    public static Optional<String> problem(byte[] bytes) {
        // Well-formed by the schemas' own check, and not UTF-16 by its first two bytes: no problem to
        // word (the same acceptance; the state machine below words the first problem).
        if ((bytes.length < 2 || bytes[0] != 0 && bytes[1] != 0)
                && StrictInput.firstInvalidUtf8(bytes, 0, bytes.length) < 0) {
            return Optional.empty();
        }
        StrictUtf8 check = new StrictUtf8();
        check.update(bytes, 0, bytes.length);
        return check.finish();
    }

    /** Reads more bytes; stops looking after the first problem. */
    public void update(byte[] bytes, int from, int length) {
        // The first two bytes tell UTF-16, even when the first is already the problem.
        for (int i = from; i < from + length && seen < 2; i++, seen++) {
            if (seen == 0) {
                first = bytes[i] & 0xFF;
            } else {
                firstTwo = first << 8 | bytes[i] & 0xFF;
            }
        }
        for (int i = from; i < from + length && problem == null; i++) {
            step(bytes[i] & 0xFF);
            offset++;
        }
    }

    /** Reads one more byte (0..255). */
    public void update(int b) {
        if (seen < 2) {
            if (seen == 0) {
                first = b;
            } else {
                firstTwo = first << 8 | b;
            }
            seen++;
        }
        if (problem == null) {
            step(b);
            offset++;
        }
    }

    private void step(int b) {
        if (needed > 0) {
            int low = second ? secondLow : 0x80;
            int high = second ? secondHigh : 0xBF;
            if (b < low || b > high) {
                // Named by where the character starts, as a sender's editor shows it.
                problem = String.format("the character starting at offset %d: byte 0x%02X at offset %d is %s",
                        sequenceStart, b, offset, second && b >= 0x80 && b <= 0xBF ? reasonOfSecond()
                                : "not the continuation its sequence needs");
                problemAt = sequenceStart;
                return;
            }
            second = false;
            needed--;
            return;
        }
        sequenceStart = offset;
        second = true;
        secondLow = 0x80;
        secondHigh = 0xBF;
        if (b < 0x80) {
            second = false;
        } else if (b >= 0xC2 && b <= 0xDF) {
            needed = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
            needed = 2;
            if (b == 0xE0) {
                secondLow = 0xA0;
            } else if (b == 0xED) {
                secondHigh = 0x9F;
            }
        } else if (b >= 0xF0 && b <= 0xF4) {
            needed = 3;
            if (b == 0xF0) {
                secondLow = 0x90;
            } else if (b == 0xF4) {
                secondHigh = 0x8F;
            }
        } else if (b == 0xC0 || b == 0xC1) {
            fail(b, "an overlong form (a character written with more bytes than it needs)");
        } else if (b >= 0x80 && b <= 0xBF) {
            fail(b, "a continuation byte without a start");
        } else {
            fail(b, "never used in UTF-8");
        }
    }

    private String reasonOfSecond() {
        if (secondLow == 0xA0 || secondLow == 0x90) {
            return "an overlong form (a character written with more bytes than it needs)";
        }
        return secondHigh == 0x9F ? "a surrogate (U+D800..U+DFFF), which UTF-8 does not encode"
                : "a character above U+10FFFF";
    }

    private void fail(int b, String why) {
        problem = String.format("byte 0x%02X at offset %d: %s", b, offset, why);
        problemAt = offset;
    }

    /** The first problem of everything read, a sequence cut short at the end included. */
    public Optional<String> finish() {
        if (problem == null && seen >= 2 && (firstTwo & 0xFF00) != 0 && (firstTwo & 0xFF) == 0
                || problem == null && seen >= 2 && (firstTwo & 0xFF00) == 0 && (firstTwo & 0xFF) != 0) {
            // ASCII in UTF-16 without a byte-order mark: well-formed UTF-8 with a NUL in every other byte.
            problem = "a NUL byte among the first two: UTF-16 without a byte-order mark";
            problemAt = (firstTwo & 0xFF00) == 0 ? 0 : 1;
            return Optional.of("the input looks like UTF-16 (" + problem + "): every format of this gateway is UTF-8");
        }
        if (problem == null && needed > 0) {
            problem = "the input ends inside a character that starts at offset " + sequenceStart;
            problemAt = sequenceStart;
        }
        if (problem == null) {
            return Optional.empty();
        }
        // UTF-16 is the one other encoding agencies' tools write by default: say so.
        if (firstTwo == 0xFFFE || firstTwo == 0xFEFF) {
            return Optional.of("the input starts with a UTF-16 byte-order mark: every format of this gateway is UTF-8 ("
                    + problem + ")");
        }
        return Optional.of("the input is not well-formed UTF-8, which every format of this gateway is: " + problem);
    }

    /** The offset of the first problem, or -1. */
    public long problemOffset() {
        return problemAt;
    }
}
