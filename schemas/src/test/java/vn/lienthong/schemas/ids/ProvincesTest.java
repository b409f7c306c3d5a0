package vn.lienthong.schemas.ids;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import vn.lienthong.schemas.ids.Provinces.Province;
import vn.lienthong.schemas.ids.Provinces.ProvinceResolution;

class ProvincesTest {

    @Test
    void thirtyFourCurrentAndSixtyThreeFormer() {
        assertThat(Provinces.current()).hasSize(34);
        assertThat(Provinces.former()).hasSize(63);
        assertThat(Provinces.current()).extracting(Province::code).doesNotHaveDuplicates();
        assertThat(Provinces.former()).extracting(Province::code).doesNotHaveDuplicates();
    }

    @Test
    void everyFormerProvinceHasACurrentSuccessor() {
        for (Province f : Provinces.former()) {
            Optional<ProvinceResolution> r = Provinces.resolveCode(f.code(), true);
            assertThat(r).as("former %s", f.code()).isPresent();
            assertThat(Provinces.isCurrent(r.get().current().code())).isTrue();
            assertThat(r.get().originalName()).isEqualTo(f.name());
        }
    }

    @Test
    void everyCurrentProvinceIsTheSuccessorOfSomeFormerOne() {
        Set<String> successors = Provinces.former().stream()
                .map(f -> Provinces.resolveCode(f.code(), true).orElseThrow().current().code())
                .collect(Collectors.toSet());
        assertThat(successors).containsExactlyInAnyOrderElementsOf(
                Provinces.current().stream().map(Province::code).toList());
    }

    @Test
    void namesAreNfc() {
        Provinces.current().forEach(p -> assertThat(VietnameseText.nfc(p.name())).isEqualTo(p.name()));
        Provinces.former().forEach(p -> assertThat(VietnameseText.nfc(p.name())).isEqualTo(p.name()));
    }

    @ParameterizedTest
    @CsvSource({
        // the traps of DOMAIN.md: same code, other meaning before 1 July 2025
        "44, Quảng Trị, Quảng Bình, 44",
        "52, Gia Lai, Bình Định, 52",
        "80, Tây Ninh, Long An, 80",
        "82, Đồng Tháp, Tiền Giang, 82",
        "91, An Giang, Kiên Giang, 91",
        "15, Lào Cai, Yên Bái, 15",
        "24, Bắc Ninh, Bắc Giang, 24",
    })
    void aBareCodeMeansTheCurrentListAndAMarkedOneTheFormerList(
            String code, String currentName, String formerName, String successor) {
        ProvinceResolution bare = Provinces.resolveCode(code, false).orElseThrow();
        assertThat(bare.current()).isEqualTo(new Province(code, currentName));
        assertThat(bare.former()).isFalse();
        assertThat(bare.originalName()).isEqualTo(currentName);

        ProvinceResolution marked = Provinces.resolveCode(code, true).orElseThrow();
        assertThat(marked.former()).isTrue();
        assertThat(marked.originalCode()).isEqualTo(code);
        assertThat(marked.originalName()).isEqualTo(formerName);
        assertThat(marked.current().code()).isEqualTo(successor);
    }

    @ParameterizedTest
    @CsvSource({
        "35, Hà Nam, 37, Ninh Bình",
        "36, Nam Định, 37, Ninh Bình",
        "45, Quảng Trị, 44, Quảng Trị",
        "10, Lào Cai, 15, Lào Cai",
        "27, Bắc Ninh, 24, Bắc Ninh",
        "72, Tây Ninh, 80, Tây Ninh",
        "64, Gia Lai, 52, Gia Lai",
        "74, Bình Dương, 79, TP. Hồ Chí Minh",
        "77, Bà Rịa - Vũng Tàu, 79, TP. Hồ Chí Minh",
        "46, Thừa Thiên Huế, 46, Huế",
        "62, Kon Tum, 51, Quảng Ngãi",
        "54, Phú Yên, 66, Đắk Lắk",
        "95, Bạc Liêu, 96, Cà Mau",
    })
    void formerCodesResolveToTheirSuccessor(String code, String formerName, String successor, String successorName) {
        ProvinceResolution r = Provinces.resolveCode(code, true).orElseThrow();
        assertThat(r.current()).isEqualTo(new Province(successor, successorName));
        assertThat(r.originalCode()).isEqualTo(code);
        assertThat(r.originalName()).isEqualTo(formerName);
        assertThat(r.former()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"35", "02", "10", "27", "45", "74", "77", "95"})
    void formerOnlyCodesAreNotCurrent(String code) {
        assertThat(Provinces.isCurrent(code)).isFalse();
        assertThat(Provinces.isFormerCode(code)).isTrue();
        assertThat(Provinces.resolveCode(code, false)).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"03", "00", "97", "5", "035", "3 5", "ab", "PROV.37"})
    void unknownCodes(String code) {
        assertThat(Provinces.resolveCode(code, false)).isEmpty();
        assertThat(Provinces.resolveCode(code, true)).isEmpty();
        assertThat(Provinces.hint(code)).isEmpty();
    }

    @Test
    void hintForAFormerCodeSentBare() {
        assertThat(Provinces.hint("35")).contains(
                "35 is not a current province code; 35 was Hà Nam (now 37 Ninh Bình): mark it as a former code");
        assertThat(Provinces.hint("77")).contains(
                "77 is not a current province code; 77 was Bà Rịa - Vũng Tàu (now 79 TP. Hồ Chí Minh): "
                        + "mark it as a former code");
    }

    @ParameterizedTest
    // current codes need no hint, even those whose former meaning differed
    @ValueSource(strings = {"37", "44", "52", "01"})
    void noHintForCurrentCodes(String code) {
        assertThat(Provinces.hint(code)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        // a name in both lists resolves to the current province
        "Quảng Trị, 44",
        "Bắc Ninh, 24",
        "Tây Ninh, 80",
        "Gia Lai, 52",
        "Đồng Tháp, 82",
        "An Giang, 91",
        "Vĩnh Long, 86",
        "Lâm Đồng, 68",
        "Lào Cai, 15",
        "Hà Nội, 01",
        "Huế, 46",
        // variants
        "TP. Hồ Chí Minh, 79",
        "TP HCM, 79",
        "TP.HCM, 79",
        "Thành phố Hồ Chí Minh, 79",
        "thành phố hồ chí minh, 79",
        "Thành phố Huế, 46",
        "Thành phố Hà Nội, 01",
        "Tỉnh Ninh Bình, 37",
        "Thanh Hoá, 38",
        "'  Quảng   Trị ', 44",
    })
    void currentNames(String name, String code) {
        ProvinceResolution r = Provinces.resolveName(name).orElseThrow();
        assertThat(r.current().code()).isEqualTo(code);
        assertThat(r.former()).isFalse();
        assertThat(r.originalCode()).isEqualTo(code);
    }

    @ParameterizedTest
    @CsvSource({
        "Hà Nam, 35, Hà Nam, 37",
        "Tỉnh Hà Nam, 35, Hà Nam, 37",
        "Quảng Bình, 44, Quảng Bình, 44",
        "Bình Định, 52, Bình Định, 52",
        "Long An, 80, Long An, 80",
        "Yên Bái, 15, Yên Bái, 15",
        "Thừa Thiên Huế, 46, Thừa Thiên Huế, 46",
        "Tỉnh Thừa Thiên Huế, 46, Thừa Thiên Huế, 46",
        "Bà Rịa - Vũng Tàu, 77, Bà Rịa - Vũng Tàu, 79",
        "Bà Rịa–Vũng Tàu, 77, Bà Rịa - Vũng Tàu, 79",
        "Bà Rịa-Vũng Tàu, 77, Bà Rịa - Vũng Tàu, 79",
        "Hoà Bình, 17, Hòa Bình, 25",
        "Bắc Giang, 24, Bắc Giang, 24",
    })
    void formerOnlyNamesResolveToTheSuccessor(String name, String formerCode, String formerName, String successor) {
        ProvinceResolution r = Provinces.resolveName(name).orElseThrow();
        assertThat(r.former()).isTrue();
        assertThat(r.originalCode()).isEqualTo(formerCode);
        assertThat(r.originalName()).isEqualTo(formerName);
        assertThat(r.current().code()).isEqualTo(successor);
    }

    @Test
    void haNamIsNowNinhBinh() {
        ProvinceResolution r = Provinces.resolveName("Hà Nam").orElseThrow();
        assertThat(r.current()).isEqualTo(new Province("37", "Ninh Bình"));
    }

    @Test
    void decomposedInputResolves() {
        assertThat(Provinces.resolveName("Ha\u0300 Nam")).map(ProvinceResolution::originalCode).contains("35");
    }

    @ParameterizedTest
    @NullAndEmptySource
    // Name matching keeps diacritics: "Ha Nam" or "Hạ Nam" is not Hà Nam.
    @ValueSource(strings = {"  ", "Ha Nam", "Hạ Nam", "Hà Tây", "Sài Gòn City", "Tỉnh", "TP."})
    void unknownNames(String name) {
        assertThat(Provinces.resolveName(name)).isEmpty();
    }

    @Test
    void cccdBirthRegistrationCodesAreTheFormerCodes() {
        for (Province f : Provinces.former()) {
            assertThat(Cccds.check("0" + f.code() + "085012345", null).valid()).as(f.code()).isTrue();
        }
    }
}
