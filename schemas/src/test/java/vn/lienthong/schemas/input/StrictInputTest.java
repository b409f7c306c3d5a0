package vn.lienthong.schemas.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import vn.lienthong.schemas.errors.ErrorCode;

class StrictInputTest {

    private final StrictInput input = new StrictInput(64, 4);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private StrictInput.Refusal refusal(byte[] bytes) {
        return refusal(bytes, input);
    }

    private static StrictInput.Refusal refusal(byte[] bytes, StrictInput input) {
        try {
            input.json(bytes);
        } catch (StrictInput.Refusal r) {
            return r;
        }
        throw new AssertionError("not refused");
    }

    @Test
    void aBadByteIsNamedByOffsetLineAndColumn() {
        byte[] bytes = utf8("{\n  \"tên\": \"Xin\"}");
        int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("Xin");
        bytes[at] = (byte) 0xFF;
        StrictInput.Refusal r = refusal(bytes);
        assertThat(r.kind()).isEqualTo(StrictInput.Kind.INVALID_UTF8);
        assertThat(r.code()).isEqualTo(ErrorCode.INVALID_UTF8);
        assertThat(r.byteOffset()).isEqualTo(at);
        assertThat(r.line()).isEqualTo(2);
        assertThat(r.column()).isEqualTo(11); // "  \"tên\": \"" is 10 characters
        assertThat(r.truncated()).isFalse();
        assertThat(r.detail()).isEqualTo("0xFF");
    }

    @Test
    void anInputEndingInsideACharacterIsCutShort() {
        byte[] whole = utf8("{\"a\":\"ầ\"}");
        byte[] cut = java.util.Arrays.copyOf(whole, 7); // inside the 3 bytes of ầ
        StrictInput.Refusal r = refusal(cut);
        assertThat(r.kind()).isEqualTo(StrictInput.Kind.INVALID_UTF8);
        assertThat(r.truncated()).isTrue();
        assertThat(r.byteOffset()).isEqualTo(6);
    }

    @Test
    void theUtf8RulesAreThoseOfRfc3629() {
        assertThat(StrictInput.firstInvalidUtf8(new byte[] {'a', (byte) 0xC0, (byte) 0xAF}, 0, 3)).isEqualTo(1);
        assertThat(StrictInput.firstInvalidUtf8(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, 0, 3)).isZero();
        assertThat(StrictInput.firstInvalidUtf8(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, 0, 4)).isZero();
        byte[] good = utf8("Hộ kinh doanh 𝔸");
        assertThat(StrictInput.firstInvalidUtf8(good, 0, good.length)).isEqualTo(-1);
    }

    @Test
    void aByteOrderMarkIsSkippedAndCountsInOffsets() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] bytes = new byte[bom.length + 2];
        System.arraycopy(bom, 0, bytes, 0, 3);
        bytes[3] = '{';
        bytes[4] = '}';
        assertThat(input.json(bytes).isObject()).isTrue();
        assertThat(StrictInput.utf8(bytes)).isEqualTo("{}");
        bytes[4] = (byte) 0x80;
        assertThat(refusal(bytes).byteOffset()).isEqualTo(4);
        assertThat(refusal(bom).kind()).isEqualTo(StrictInput.Kind.BLANK);
    }

    @Test
    void theCapIsCheckedBeforeReadingOn() throws Exception {
        byte[] big = new byte[65];
        java.util.Arrays.fill(big, (byte) ' ');
        assertThatThrownBy(() -> input.readLimited(new ByteArrayInputStream(big)))
                .isInstanceOfSatisfying(StrictInput.Refusal.class, r -> assertThat(r.code()).isEqualTo(ErrorCode.BODY_TOO_LARGE));
        assertThat(refusal(big).kind()).isEqualTo(StrictInput.Kind.TOO_LARGE);
        assertThat(input.readLimited(new ByteArrayInputStream(new byte[64]))).hasSize(64);
    }

    @Test
    void jsonFailuresAreLocatedByLineColumnAndPointer() {
        assertThat(refusal(new byte[0]).kind()).isEqualTo(StrictInput.Kind.EMPTY);
        assertThat(refusal(utf8(" \n")).kind()).isEqualTo(StrictInput.Kind.BLANK);
        StrictInput.Refusal dup = refusal(utf8("{\"a\":{\"b\":1,\n\"b\":2}}"));
        assertThat(dup.kind()).isEqualTo(StrictInput.Kind.DUPLICATE_KEY);
        assertThat(dup.pointer()).isEqualTo("/a/b");
        assertThat(dup.detail()).isEqualTo("b");
        assertThat(dup.line()).isEqualTo(2);
        StrictInput.Refusal deep = refusal(utf8("{\"a\":[[[[1]]]]}"));
        assertThat(deep.kind()).isEqualTo(StrictInput.Kind.NESTING_TOO_DEEP);
        assertThat(deep.code()).isEqualTo(ErrorCode.NESTING_TOO_DEEP);
        assertThat(deep.pointer()).startsWith("/a/0");
        StrictInput.Refusal trailing = refusal(utf8("{} []"));
        assertThat(trailing.kind()).isEqualTo(StrictInput.Kind.TRAILING_CONTENT);
        assertThat(trailing.where()).isEqualTo("line 1, column 4");
        StrictInput.Refusal cut = refusal(utf8("{\"a\":[1,"));
        assertThat(cut.kind()).isEqualTo(StrictInput.Kind.MALFORMED_JSON);
        assertThat(cut.detail()).contains("end-of-input").doesNotContain("start marker").doesNotContain("[1");
        assertThat(refusal(utf8("{\"n\":" + "1".repeat(65) + "}"), new StrictInput(1024, 4)).kind())
                .isEqualTo(StrictInput.Kind.VALUE_TOO_LONG);
    }
}
