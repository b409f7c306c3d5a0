package vn.lienthong.schemas.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vn.lienthong.schemas.ValidatorSettings;
import vn.lienthong.schemas.errors.ErrorCode;

/** Bad bytes of every kind give one clear error with a stable code, never an exception. */
class HostileInputTest {

    private static final MessageValidator VALIDATOR = Examples.validator();

    private static ValidationResult.Invalid refuse(byte[] bytes) {
        ValidationResult r = VALIDATOR.validate(bytes);
        assertThat(r).isInstanceOf(ValidationResult.Invalid.class);
        return (ValidationResult.Invalid) r;
    }

    private static ValidationResult.Invalid refuse(String text) {
        return refuse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void emptyAndBlankBodies() {
        assertThat(refuse(new byte[0]).codes()).containsExactly(ErrorCode.EMPTY_BODY);
        assertThat(refuse((byte[]) null).codes()).containsExactly(ErrorCode.EMPTY_BODY);
        assertThat(refuse(" \n\t ").codes()).containsExactly(ErrorCode.EMPTY_BODY);
    }

    @Test
    void notJsonNamesLineAndColumn() {
        ValidationResult.Invalid r = refuse("<edXMLEnvelope/>");
        assertThat(r.codes()).containsExactly(ErrorCode.MALFORMED_JSON);
        assertThat(r.errors().get(0).message()).contains("line 1, column 1");
    }

    @Test
    void truncatedJsonNamesWhereItStops() {
        ValidationResult.Invalid r = refuse("{\n  \"messageId\": \"6f1c2a9e-3b4d-4e5f-8a6b-7c8d9e0f1a2b\",\n  \"type\": \"freeze.req");
        assertThat(r.codes()).containsExactly(ErrorCode.MALFORMED_JSON);
        assertThat(r.errors().get(0).message()).contains("line 3");
    }

    @Test
    void trailingContentAfterTheObject() {
        assertThat(refuse("{} {}").codes()).containsExactly(ErrorCode.MALFORMED_JSON);
    }

    @Test
    void invalidUtf8NamesTheByteOffset() {
        byte[] bytes = "{\"a\": \"Nguy\u1ec5n\"}".getBytes(StandardCharsets.UTF_8);
        byte[] broken = Arrays.copyOf(bytes, bytes.length);
        broken[11] = (byte) 0xC3; // a lead byte followed by an ASCII byte
        broken[12] = (byte) 0x28;
        ValidationResult.Invalid r = refuse(broken);
        assertThat(r.codes()).containsExactly(ErrorCode.INVALID_UTF8);
        assertThat(r.errors().get(0).message()).contains("offset 11");
        // Overlong encodings and lone continuation bytes too.
        assertThat(refuse(new byte[] {'{', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'}).codes()).containsExactly(ErrorCode.INVALID_UTF8);
        assertThat(refuse(new byte[] {'{', (byte) 0x80, '}'}).codes()).containsExactly(ErrorCode.INVALID_UTF8);
    }

    @Test
    void duplicateKeysNameThePointer() {
        ValidationResult.Invalid r = refuse("{\"payload\": {\"measure\": \"FREEZE\", \"measure\": \"RELEASE\"}}");
        assertThat(r.codes()).containsExactly(ErrorCode.DUPLICATE_KEY);
        assertThat(r.errors().get(0).pointer()).isEqualTo("/payload/measure");
        assertThat(r.errors().get(0).message()).contains("'measure'");
    }

    @ParameterizedTest
    @ValueSource(ints = {33, 10_000, 200_000})
    void deepNestingIsRefusedWithoutStackOverflow(int depth) {
        String deep = "{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
        assertThat(refuse(deep).codes()).containsExactly(ErrorCode.NESTING_TOO_DEEP);
        String objects = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        assertThat(refuse(objects).codes()).containsExactly(ErrorCode.NESTING_TOO_DEEP);
    }

    @Test
    void bodyOverTheLimitIsNotParsed() {
        byte[] big = new byte[5 * 1024 * 1024 + 1];
        Arrays.fill(big, (byte) ' ');
        ValidationResult.Invalid r = refuse(big);
        assertThat(r.codes()).containsExactly(ErrorCode.BODY_TOO_LARGE);
        assertThat(r.errors().get(0).message()).contains("5242881 bytes");
    }

    @Test
    void theLimitIsConfigurable() {
        MessageValidator small = new MessageValidator(ValidatorSettings.defaults().withMaxBytes(100));
        byte[] body = ("{\"messageId\": \"" + "x".repeat(100) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(((ValidationResult.Invalid) small.validate(body)).codes()).containsExactly(ErrorCode.BODY_TOO_LARGE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "42", "\"text\"", "null", "true"})
    void topLevelMustBeAnObject(String json) {
        assertThat(refuse(json).codes()).containsExactly(ErrorCode.NOT_AN_OBJECT);
    }

    @Test
    void aUtf8ByteOrderMarkIsTolerated() throws Exception {
        byte[] valid = Examples.bytes(Examples.valid().get(0));
        byte[] withBom = new byte[valid.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(valid, 0, withBom, 3, valid.length);
        assertThat(VALIDATOR.validate(withBom).errors()).isEmpty();
    }

    @Test
    void randomCorruptionNeverThrowsAndAlwaysExplains() {
        Random random = new Random(20261120L);
        for (var example : Examples.valid()) {
            byte[] original = Examples.bytes(example);
            for (int round = 0; round < 200; round++) {
                byte[] bytes = Arrays.copyOf(original, random.nextInt(original.length + 1));
                for (int k = random.nextInt(4); k > 0 && bytes.length > 0; k--) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
                ValidationResult r = VALIDATOR.validate(bytes);
                if (!r.valid()) {
                    assertThat(r.errors()).allSatisfy(e -> {
                        assertThat(e.message()).isNotBlank();
                        assertThat(e.code()).isNotEqualTo(ErrorCode.SCHEMA_VIOLATION);
                    });
                }
            }
        }
    }
}
