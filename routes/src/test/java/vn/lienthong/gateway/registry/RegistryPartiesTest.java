package vn.lienthong.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import vn.lienthong.schemas.MessageType;
import vn.lienthong.schemas.ids.Provinces;
import vn.lienthong.schemas.ids.Provinces.Province;

/**
 * {@code config/agencies.yaml} holds every current province of the bundled list (Decision
 * 19/2025/QĐ-TTg), code for code and name for name, and the other parties the 2026 plan names.
 */
class RegistryPartiesTest {

    private static final Registry REGISTRY = Registry.load(Path.of("../config/agencies.yaml"));
    private static final String DEPARTMENT = "Sở Công Thương ";

    @Test
    void everyCurrentProvinceIsAPartyUnderItsCodeAndName() {
        Map<String, Agency> byProvince = new TreeMap<>();
        for (Agency agency : REGISTRY.agencies()) {
            agency.provinceCode().ifPresent(code -> byProvince.put(code, agency));
        }
        assertThat(byProvince.keySet()).containsExactlyElementsOf(
                Provinces.current().stream().map(Province::code).sorted().toList());
        for (Province province : Provinces.current()) {
            Agency agency = byProvince.get(province.code());
            String vi = agency.name().vi();
            // The party is the Department of Industry and Trade; its name ends in the province's.
            String provinceName = vi.startsWith(DEPARTMENT) ? vi.substring(DEPARTMENT.length()) : vi;
            assertThat(Provinces.resolveName(provinceName))
                    .as("the name '%s' of %s", vi, agency.code())
                    .hasValueSatisfying(r -> {
                        assertThat(r.former()).isFalse();
                        assertThat(r.current()).isEqualTo(province);
                    });
            assertThat(agency.keycloakClient()).isEqualTo("prov-" + province.code());
            assertThat(agency.channels()).as("channels of %s", agency.code()).isNotEmpty();
            assertThat(agency.maySend(MessageType.REPORT_PERIODIC)).as(agency.code()).isTrue();
            assertThat(agency.mayReceive(MessageType.VIOLATION_NOTICE)).as(agency.code()).isTrue();
        }
    }

    @Test
    void theOtherPartiesOfThePlanExchangeWhatTheirFieldNeeds() {
        Agency border = REGISTRY.agency("MOD.BDBP").orElseThrow();
        assertThat(border.sends()).contains(MessageType.VIOLATION_NOTICE, MessageType.CASE_TRANSFER);
        for (String code : List.of("MOH", "MAE")) {
            Agency ministry = REGISTRY.agency(code).orElseThrow();
            assertThat(ministry.sends()).as(code).contains(MessageType.VIOLATION_NOTICE, MessageType.CASE_TRANSFER);
            assertThat(ministry.receives()).as(code).contains(MessageType.VIOLATION_NOTICE, MessageType.CASE_TRANSFER);
        }
        Agency vnnic = REGISTRY.agency("MOST.VNNIC").orElseThrow();
        assertThat(vnnic.receives()).contains(MessageType.TAKEDOWN_REQUEST);
        assertThat(vnnic.sends()).containsExactlyInAnyOrder(MessageType.TAKEDOWN_REPORT, MessageType.INFO_RESPONSE);
        assertThat(REGISTRY.agencies()).hasSize(14 + 34 + 4);
    }
}
