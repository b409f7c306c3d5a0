package vn.lienthong.schemas.ids;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import vn.lienthong.schemas.errors.ErrorCode;

class IdCheckTest {

    @Test
    void okAndInvalid() {
        IdCheck ok = IdCheck.ok("0100233488");
        assertThat(ok.valid()).isTrue();
        assertThat(ok.error()).isNull();
        assertThat(ok.problem()).isNull();

        IdCheck bad = IdCheck.invalid(ErrorCode.INVALID_TAX_CODE, "tax code check digit does not match");
        assertThat(bad.valid()).isFalse();
        assertThat(bad.normalized()).isNull();
    }

    @Test
    void inconsistentStatesAreRefused() {
        assertThatThrownBy(() -> new IdCheck(null, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IdCheck("x", ErrorCode.INVALID_CCCD, "p")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IdCheck.invalid(ErrorCode.INVALID_CCCD, " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IdCheck.invalid(null, "p")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void toStringMasksTheValue() {
        assertThat(IdCheck.ok("001085012345").toString()).isEqualTo("IdCheck[valid]");
        assertThat(IdCheck.invalid(ErrorCode.INVALID_CCCD, "CCCD must be 12 digits, got 11").toString())
                .isEqualTo("IdCheck[INVALID_CCCD: CCCD must be 12 digits, got 11]");
    }
}
