package vn.lienthong.schemas.ids;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VietnameseTextTest {

    @Test
    void nfcComposesDecomposedVietnamese() {
        assertThat(VietnameseText.nfc("Nguye\u0302\u0303n")).isEqualTo("Nguyễn");
        assertThat(VietnameseText.nfc("Ha\u0300 Nam")).isEqualTo("Hà Nam");
        assertThat(VietnameseText.nfc(null)).isNull();
    }

    @Test
    void decomposedAndPrecomposedNamesAreTheSame() {
        assertThat(VietnameseText.sameName("Ha\u0300 Nam", "Hà Nam")).isTrue();
        // ê + combining tilde, as some keyboards produce it
        assertThat(VietnameseText.sameName("Nguyê\u0303n Văn A", "Nguyễn Văn A")).isTrue();
        assertThat("Nguyê\u0303n").isNotEqualTo("Nguyễn");
    }

    @ParameterizedTest
    @CsvSource({
        "Hà Nam, hà nam, true",
        "Hà Nam, HÀ NAM, true",
        "'  Hà   Nam ', Hà Nam, true",
        "Hà\u00a0Nam, Hà Nam, true",
        "Hà\tNam, Hà Nam, true",
        "Đà Nẵng, đà nẵng, true",
        "Hà Nam, Hạ Nam, false",
        "Hà Nam, Ha Nam, false",
        "Hà Nam, HaNam, false",
        "Thanh Hóa, Thanh Hoá, false",
        "Bà Rịa - Vũng Tàu, Bà Rịa–Vũng Tàu, false",
    })
    void sameNameIgnoresCaseAndSpacingButNotDiacritics(String a, String b, boolean same) {
        assertThat(VietnameseText.sameName(a, b)).isEqualTo(same);
        assertThat(VietnameseText.sameName(b, a)).isEqualTo(same);
    }

    @Test
    void sameNameWithNull() {
        assertThat(VietnameseText.sameName(null, "Hà Nam")).isFalse();
        assertThat(VietnameseText.sameName("Hà Nam", null)).isFalse();
        assertThat(VietnameseText.sameName(null, null)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "Hà Nam, ha nam",
        "Hạ Nam, ha nam",
        "Ha\u0300 Nam, ha nam",
        "Đắk Lắk, dak lak",
        "ĐÀ NẴNG, da nang",
        "Nguyễn Thị Ánh, nguyen thi anh",
        "Bà Rịa - Vũng Tàu, ba ria vung tau",
        "Bà Rịa–Vũng Tàu, ba ria vung tau",
        "Bà Rịa—Vũng Tàu, ba ria vung tau",
        "TP. Hồ Chí Minh, tp ho chi minh",
        "' Thừa  Thiên\u00a0-\u00a0Huế. ', thua thien hue",
        "Quốc lộ 1A, quoc lo 1a",
    })
    void foldRemovesDiacriticsAndSeparators(String in, String folded) {
        assertThat(VietnameseText.fold(in)).isEqualTo(folded);
    }

    @Test
    void foldIsNullSafe() {
        assertThat(VietnameseText.fold(null)).isNull();
        assertThat(VietnameseText.fold("")).isEmpty();
    }
}
