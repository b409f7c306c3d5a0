package vn.lienthong.gateway.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StrictUtf8Test {

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void wellFormedTextPassesWithOrWithoutByteOrderMark() {
        assertThat(StrictUtf8.problem("{\"a\":\"Nguyễn Văn Khải 😀\"}".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(StrictUtf8.problem(bytes(0xEF, 0xBB, 0xBF, '{', '}'))).isEmpty();
        assertThat(StrictUtf8.problem(new byte[0])).isEmpty();
        assertThat(StrictUtf8.problem(bytes(0xF4, 0x8F, 0xBF, 0xBF))).as("U+10FFFF").isEmpty();
    }

    @Test
    void everyMalformedSequenceIsNamedWithItsOffset() {
        assertThat(StrictUtf8.problem(bytes('a', 'b', 0xFF, 'c'))).get().asString()
                .contains("byte 0xFF at offset 2").contains("never used in UTF-8");
        assertThat(StrictUtf8.problem(bytes('"', 0xC0, 0xAF, '"'))).get().asString()
                .contains("offset 1").contains("overlong");
        assertThat(StrictUtf8.problem(bytes(0xE0, 0x80, 0xAF))).get().asString().contains("overlong");
        assertThat(StrictUtf8.problem(bytes(0xF0, 0x80, 0x80, 0xAF))).get().asString().contains("overlong");
        assertThat(StrictUtf8.problem(bytes('x', 0xED, 0xA0, 0x80))).get().asString()
                .contains("starting at offset 1").contains("surrogate");
        assertThat(StrictUtf8.problem(bytes(0xF4, 0x90, 0x80, 0x80))).get().asString().contains("above U+10FFFF");
        assertThat(StrictUtf8.problem(bytes('a', 0x80))).get().asString().contains("continuation byte without a start");
        assertThat(StrictUtf8.problem(bytes('a', 0xE1, 0x80))).get().asString()
                .contains("ends inside a character that starts at offset 1");
        assertThat(StrictUtf8.problem(bytes(0xC3, 'a'))).get().asString().contains("not the continuation");
        assertThat(StrictUtf8.problem(bytes('a', 'b', 0xFF, 'c'))).get().asString()
                .startsWith("the input is not well-formed UTF-8");
    }

    @Test
    void utf16IsNamedWithOrWithoutItsByteOrderMark() {
        byte[] le = "\uFEFF{}".getBytes(StandardCharsets.UTF_16LE);
        assertThat(StrictUtf8.problem(le)).get().asString().contains("UTF-16 byte-order mark");
        Optional<String> noBom = StrictUtf8.problem("{\"a\":1}".getBytes(StandardCharsets.UTF_16BE));
        assertThat(noBom).get().asString().contains("looks like UTF-16");
        assertThat(StrictUtf8.problem("{\"a\":1}".getBytes(StandardCharsets.UTF_16LE))).get().asString()
                .contains("looks like UTF-16");
    }

    @Test
    void aStreamFedInPiecesSplitInsideACharacterIsStillRead() {
        byte[] text = "Khải".getBytes(StandardCharsets.UTF_8);
        StrictUtf8 check = new StrictUtf8();
        for (int i = 0; i < text.length; i++) {
            check.update(text, i, 1);
        }
        assertThat(check.finish()).isEmpty();
        StrictUtf8 byByte = new StrictUtf8();
        for (byte b : new byte[] {(byte) 0xFF, (byte) 0xFE, '{', 0}) {
            byByte.update(b & 0xFF);
        }
        assertThat(byByte.finish()).get().asString().contains("UTF-16 byte-order mark");
    }

    @Test
    void aJmsTextWithALoneSurrogateBecomesBytesTheCheckRefuses() {
        byte[] bytes = JmsBodies.utf8("a\uD800b😀");
        assertThat(StrictUtf8.problem(bytes)).get().asString().contains("offset 1").contains("surrogate");
        assertThat(JmsBodies.utf8("Khải 😀")).isEqualTo("Khải 😀".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theWholeInputCheckAgreesWithTheStreamedOneOnAnyBytes() {
        java.util.Random random = new java.util.Random(12);
        byte[] alphabet = {0, 'a', '{', (byte) 0x7F, (byte) 0x80, (byte) 0xBF, (byte) 0xC0, (byte) 0xC2, (byte) 0xDF,
            (byte) 0xE0, (byte) 0xA0, (byte) 0xED, (byte) 0x9F, (byte) 0xEF, (byte) 0xF0, (byte) 0x90, (byte) 0xF4,
            (byte) 0x8F, (byte) 0xF5, (byte) 0xFF, (byte) 0xFE};
        for (int n = 0; n < 20_000; n++) {
            byte[] bytes = new byte[random.nextInt(24)];
            for (int i = 0; i < bytes.length; i++) {
                // Mostly ASCII runs (the eight-byte stride), with a few of the bytes that matter.
                bytes[i] = random.nextInt(4) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) ('a' + i % 26);
            }
            StrictUtf8 streamed = new StrictUtf8();
            streamed.update(bytes, 0, bytes.length);
            assertThat(StrictUtf8.problem(bytes)).as(java.util.HexFormat.of().formatHex(bytes))
                    .isEqualTo(streamed.finish());
        }
    }
}
