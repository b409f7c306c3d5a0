package vn.lienthong.schemas.ids;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import vn.lienthong.schemas.errors.ErrorCode;

class TaxCodesTest {

    // Weights 31,29,23,19,17,13,7,5,3; check = 10 - (sum mod 11). Hand-checked sums:
    //   0100233488: 29 + 2*17 + 3*13 + 3*7 + 4*5 + 8*3 = 167 = 15*11 + 2  -> 8
    //   0314409058: 3*29 + 23 + 4*19 + 4*17 + 9*7 + 5*3 = 332 = 30*11 + 2  -> 8
    //   0100109106: 29 + 17 + 9*7 + 5 = 114 = 10*11 + 4                    -> 6
    //   0312345673: 3*29 + 23 + 2*19 + 3*17 + 4*13 + 5*7 + 6*5 + 7*3 = 337 = 30*11 + 7 -> 3
    //   0200123457: 2*29 + 17 + 2*13 + 3*7 + 4*5 + 5*3 = 157 = 14*11 + 3   -> 7
    //   7901234567: 7*31 + 9*29 + 19 + 2*17 + 3*13 + 4*7 + 5*5 + 6*3 = 641 = 58*11 + 3 -> 7
    //   0100000010: 29 + 3 = 32 = 2*11 + 10                               -> 0
    @ParameterizedTest
    @ValueSource(strings = {"0100233488", "0314409058", "0100109106", "0312345673", "0200123457",
        "7901234567", "0100000010"})
    void validEnterpriseCodes(String code) {
        IdCheck c = TaxCodes.check(code);
        assertThat(c.valid()).isTrue();
        assertThat(c.normalized()).isEqualTo(code);
        assertThat(TaxCodes.kind(code)).isEqualTo(TaxCodeKind.ENTERPRISE);
    }

    @Test
    void trimsSurroundingWhiteSpace() {
        assertThat(TaxCodes.check("  0100233488\t").normalized()).isEqualTo("0100233488");
    }

    @ParameterizedTest
    @CsvSource({
        // 0100233480: sum 167 gives check 8, not 0
        "0100233480, tax code check digit does not match",
        // 0314409050: sum 332 gives check 8, not 0
        "0314409050, tax code check digit does not match",
        // 0100000003: the check digit is right (29 = 2*11 + 7 -> 3) but the sequence is 0000000
        "0100000003, tax code sequence (digits 3 to 9) must not be 0000000",
        // 010000005x: 29 + 5*3 = 44 = 4*11 + 0 -> 10: no digit can be valid
        "0100000050, tax code first nine digits admit no check digit",
        "0100000059, tax code first nine digits admit no check digit",
    })
    void invalidTenDigitCodes(String code, String problem) {
        IdCheck c = TaxCodes.check(code);
        assertThat(c.valid()).isFalse();
        assertThat(c.error()).isEqualTo(ErrorCode.INVALID_TAX_CODE);
        assertThat(c.problem()).isEqualTo(problem).doesNotContain(code);
    }

    @ParameterizedTest
    @CsvSource({
        "0100233488-001, 0100233488-001",
        "0100233488001, 0100233488-001",
        "0314409058-999, 0314409058-999",
        "' 0100109106-012 ', 0100109106-012",
    })
    void branchCodesAreNormalizedToTheHyphenForm(String raw, String normalized) {
        IdCheck c = TaxCodes.check(raw);
        assertThat(c.valid()).isTrue();
        assertThat(c.normalized()).isEqualTo(normalized);
        assertThat(TaxCodes.kind(raw)).isEqualTo(TaxCodeKind.BRANCH);
    }

    @ParameterizedTest
    @CsvSource({
        "0100233488-000, tax code branch number must be between 001 and 999",
        "0100233488000, tax code branch number must be between 001 and 999",
        "0100233480-001, tax code check digit does not match",
        "0100233480001, tax code check digit does not match",
    })
    void invalidBranchCodes(String code, String problem) {
        IdCheck c = TaxCodes.check(code);
        assertThat(c.error()).isEqualTo(ErrorCode.INVALID_TAX_CODE);
        assertThat(c.problem()).isEqualTo(problem).doesNotContain(code);
    }

    @ParameterizedTest
    @ValueSource(strings = {"001085012345", "079203000123", "035190000001"})
    void personalIdNumbersAreTaxCodes(String code) {
        IdCheck c = TaxCodes.check(code);
        assertThat(c.valid()).isTrue();
        assertThat(c.normalized()).isEqualTo(code);
        assertThat(TaxCodes.kind(code)).isEqualTo(TaxCodeKind.PERSONAL);
    }

    @ParameterizedTest
    // 003: no province had code 03; 100: the prefix has no leading zero; 097: beyond 96.
    @ValueSource(strings = {"003085012345", "100085012345", "097085012345"})
    void personalTaxCodeNeedsAProvincePrefix(String code) {
        IdCheck c = TaxCodes.check(code);
        assertThat(c.error()).isEqualTo(ErrorCode.INVALID_TAX_CODE);
        assertThat(c.problem())
                .isEqualTo("12-digit tax code is not a valid personal ID number: "
                        + "CCCD birth-registration province code is not a province code")
                .doesNotContain(code);
    }

    @ParameterizedTest
    @CsvSource({
        "010023348, 'tax code must be 10, 12 or 13 digits, got 9'",
        "01002334888, 'tax code must be 10, 12 or 13 digits, got 11'",
        "01002334880012, 'tax code must be 10, 12 or 13 digits, got 14'",
        "01OO233488, 'tax code must contain only digits, with an optional hyphen before the branch number'",
        "0100 233 488, 'tax code must contain only digits, with an optional hyphen before the branch number'",
        "MST0100233488, 'tax code must contain only digits, with an optional hyphen before the branch number'",
        "0100233488-01, 'tax code with a branch must be 10 digits, a hyphen and 3 digits'",
        "0100233488-0001, 'tax code with a branch must be 10 digits, a hyphen and 3 digits'",
        "0100-233488, 'tax code with a branch must be 10 digits, a hyphen and 3 digits'",
    })
    void malformedCodes(String code, String problem) {
        IdCheck c = TaxCodes.check(code);
        assertThat(c.error()).isEqualTo(ErrorCode.INVALID_TAX_CODE);
        assertThat(c.problem()).isEqualTo(problem).doesNotContain(code);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void missingCodes(String code) {
        IdCheck c = TaxCodes.check(code);
        assertThat(c.valid()).isFalse();
        assertThat(c.error()).isEqualTo(ErrorCode.INVALID_TAX_CODE);
    }

    @Test
    void nonAsciiDigitsAreRefused() {
        // Arabic-Indic digits pass Character.isDigit but are not a tax code.
        assertThat(TaxCodes.check("٠١٠٠٢٣٣٤٨٨").valid()).isFalse();
    }

    @Test
    void kindRefusesInvalidCodesWithoutEchoingThem() {
        assertThatThrownBy(() -> TaxCodes.kind("0100233480"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tax code check digit does not match");
    }
}
