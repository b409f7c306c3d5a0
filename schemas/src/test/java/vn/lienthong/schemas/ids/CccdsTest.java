package vn.lienthong.schemas.ids;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import vn.lienthong.schemas.errors.ErrorCode;

class CccdsTest {

    @ParameterizedTest
    @CsvSource({
        // number,       year, gender   (province, century digit, year digits)
        "001085012345, 1985, MALE",     // 001 Hà Nội, 0 = 1900s male, 85
        "001185012345, 1985, FEMALE",   // 1 = 1900s female
        "079203000123, 2003, MALE",     // 079 TP.HCM, 2 = 2000s male
        "096305000001, 2005, FEMALE",   // 096 Cà Mau, 3 = 2000s female
        "035190000001, 1990, FEMALE",   // 035 Hà Nam: former province, still valid for birth registration
        "044200000001, 2000, MALE",     // 044 Quảng Bình (former meaning of 44)
        "045599000001, 2199, FEMALE",   // 045 Quảng Trị; 4/5 = 2100s (odd: female)
        "002600000001, 2200, MALE",     // 6/7 = 2200s
        "002901000001, 2301, FEMALE",   // 8/9 = 2300s
    })
    void validNumbers(String number, int year, Gender gender) {
        IdCheck c = Cccds.check(number, null);
        assertThat(c.valid()).isTrue();
        assertThat(c.normalized()).isEqualTo(number);
        assertThat(Cccds.birthYear(number)).isEqualTo(year);
        assertThat(Cccds.gender(number)).isEqualTo(gender);
        assertThat(Cccds.check(number, year).valid()).isTrue();
    }

    @Test
    void trimsSurroundingWhiteSpace() {
        assertThat(Cccds.check(" 001085012345 ", 1985).normalized()).isEqualTo("001085012345");
    }

    @ParameterizedTest
    @CsvSource({
        "00108501234, 'CCCD must be 12 digits, got 11'",
        "0010850123456, 'CCCD must be 12 digits, got 13'",
        "123456789, 'CCCD must be 12 digits, got 9'",           // a 9-digit CMND is not a CCCD
        "00108501234A, CCCD must contain only digits",
        "001-085-012345, CCCD must contain only digits",
        "001 085 012345, CCCD must contain only digits",
    })
    void malformedNumbers(String number, String problem) {
        IdCheck c = Cccds.check(number, null);
        assertThat(c.error()).isEqualTo(ErrorCode.INVALID_CCCD);
        assertThat(c.problem()).isEqualTo(problem).doesNotContain(number);
    }

    @ParameterizedTest
    // 000, 003, 005, 016, 023, 097, 099: never province codes; 101/801: no leading zero.
    @ValueSource(strings = {"000085012345", "003085012345", "005085012345", "016085012345",
        "023085012345", "097085012345", "099085012345", "101085012345", "801085012345"})
    void provincePrefixMustBeAFormerProvinceCode(String number) {
        IdCheck c = Cccds.check(number, 1985);
        assertThat(c.error()).isEqualTo(ErrorCode.INVALID_CCCD);
        assertThat(c.problem())
                .isEqualTo("CCCD birth-registration province code is not a province code")
                .doesNotContain(number);
    }

    @ParameterizedTest
    @CsvSource({
        "001085012345, 1984, CCCD birth-year digits do not match the birth year",
        "001085012345, 1995, CCCD birth-year digits do not match the birth year",
        "001085012345, 2085, CCCD century digit does not match the birth year",
        "001285012345, 1985, CCCD century digit does not match the birth year",
        "001385012345, 1885, CCCD century digit does not match the birth year",
    })
    void birthYearContradictions(String number, int birthYear, String problem) {
        IdCheck c = Cccds.check(number, birthYear);
        assertThat(c.error()).isEqualTo(ErrorCode.CCCD_BIRTH_YEAR_MISMATCH);
        assertThat(c.problem()).isEqualTo(problem)
                .doesNotContain(number)
                .doesNotContain(String.valueOf(birthYear));
    }

    @Test
    void aMalformedNumberIsInvalidEvenWithABirthYear() {
        assertThat(Cccds.check("00108501234", 1985).error()).isEqualTo(ErrorCode.INVALID_CCCD);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void missingNumbers(String number) {
        assertThat(Cccds.check(number, null).error()).isEqualTo(ErrorCode.INVALID_CCCD);
    }

    @Test
    void helpersRefuseInvalidNumbersWithoutEchoingThem() {
        assertThatThrownBy(() -> Cccds.birthYear("003085012345"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("003085012345");
        assertThatThrownBy(() -> Cccds.gender("12345"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void idCheckToStringNeverShowsTheNumber() {
        assertThat(Cccds.check("001085012345", null).toString()).doesNotContain("001085012345");
    }
}
