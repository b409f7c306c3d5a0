package vn.lienthong.schemas.ids;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import vn.lienthong.schemas.ids.Banks.Bank;
import vn.lienthong.schemas.errors.ErrorCode;

class BanksTest {

    @ParameterizedTest
    @CsvSource({
        // the BINs DOMAIN.md gives (some public lists get these wrong)
        "970436, Vietcombank, Ngân hàng TMCP Ngoại thương Việt Nam",
        "970415, VietinBank, Ngân hàng TMCP Công thương Việt Nam",
        "970418, BIDV, Ngân hàng TMCP Đầu tư và Phát triển Việt Nam",
        "970405, Agribank, Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam",
        "970416, ACB, Ngân hàng TMCP Á Châu",
        "970407, Techcombank, Ngân hàng TMCP Kỹ thương Việt Nam",
        "970422, MB, Ngân hàng TMCP Quân đội",
        "970432, VPBank, Ngân hàng TMCP Việt Nam Thịnh Vượng",
        "970403, Sacombank, Ngân hàng TMCP Sài Gòn Thương Tín",
        "970423, TPBank, Ngân hàng TMCP Tiên Phong",
    })
    void verifiedBins(String bin, String shortName, String name) {
        assertThat(Banks.byBin(bin)).contains(new Bank(bin, shortName, name));
        assertThat(Banks.checkBin(bin).valid()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "970441, VIB", "970443, SHB", "970431, Eximbank", "970426, MSB", "970437, HDBank",
        "970448, OCB", "970440, SeABank", "970449, LPBank", "970412, PVcomBank", "970428, Nam A Bank",
        "970409, Bac A Bank", "970400, Saigonbank", "970427, VietABank", "970433, VietBank",
        "970438, BaoViet Bank", "970419, NCB", "970425, ABBANK", "970452, Kienlongbank", "970408, GPBank",
        "970454, Viet Capital Bank", "970429, SCB", "970424, Shinhan Bank", "970457, Woori Bank",
        "970458, UOB", "970439, Public Bank", "970442, Hong Leong Bank", "970434, Indovina Bank",
        "970421, VRB", "970410, Standard Chartered",
    })
    void otherWellKnownBins(String bin, String shortName) {
        assertThat(Banks.byBin(bin)).map(Bank::shortName).contains(shortName);
    }

    @Test
    void everyBundledBinIs970xxxAndUnique() {
        assertThat(Banks.all()).hasSizeGreaterThanOrEqualTo(39);
        assertThat(Banks.all()).extracting(Bank::bin).doesNotHaveDuplicates()
                .allMatch(b -> b.matches("970[0-9]{3}"));
        assertThat(Banks.all()).allSatisfy(b -> assertThat(b.name()).startsWith("Ngân hàng"));
    }

    @Test
    void trimsTheBin() {
        assertThat(Banks.checkBin(" 970436 ").normalized()).isEqualTo("970436");
        assertThat(Banks.byBin(" 970436")).isPresent();
    }

    @ParameterizedTest
    @CsvSource({
        "422589, bank BIN must be a NAPAS BIN starting with 970",   // CIMB in VietQR: not 970xxx
        "123456, bank BIN must be a NAPAS BIN starting with 970",
        "970499, bank BIN is not in the bundled NAPAS bank list",
        "970401, bank BIN is not in the bundled NAPAS bank list",
        "97043, bank BIN must be 6 digits",
        "9704360, bank BIN must be 6 digits",
        "VCB, bank BIN must be 6 digits",
    })
    void unknownBins(String bin, String problem) {
        IdCheck c = Banks.checkBin(bin);
        assertThat(c.error()).isEqualTo(ErrorCode.UNKNOWN_BANK_BIN);
        assertThat(c.problem()).isEqualTo(problem).doesNotContain(bin);
        assertThat(Banks.byBin(bin)).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void missingBin(String bin) {
        assertThat(Banks.checkBin(bin).error()).isEqualTo(ErrorCode.UNKNOWN_BANK_BIN);
        assertThat(Banks.byBin(bin)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"123456", "0071000123456", "19036482957014", "1234567890123456789", " 0071000123456 "})
    void validAccountNumbers(String account) {
        IdCheck c = Banks.checkAccountNumber(account);
        assertThat(c.valid()).isTrue();
        assertThat(c.normalized()).isEqualTo(account.strip());
    }

    @ParameterizedTest
    @CsvSource({
        "12345, 'account number must be 6 to 19 digits, got 5'",
        "12345678901234567890, 'account number must be 6 to 19 digits, got 20'",
        "0071-000-123456, account number must contain only digits",
        "0071 000 123456, account number must contain only digits",
        "VN0071000123456, account number must contain only digits",
    })
    void invalidAccountNumbers(String account, String problem) {
        IdCheck c = Banks.checkAccountNumber(account);
        assertThat(c.error()).isEqualTo(ErrorCode.SCHEMA_PATTERN);
        assertThat(c.problem()).isEqualTo(problem).doesNotContain(account);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void missingAccountNumber(String account) {
        assertThat(Banks.checkAccountNumber(account).problem()).isEqualTo("account number is missing");
    }
}
