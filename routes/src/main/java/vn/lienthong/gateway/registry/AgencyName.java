package vn.lienthong.gateway.registry;

/** An agency's name in Vietnamese (authoritative) and English. */
public record AgencyName(String vi, String en) {

    public AgencyName {
        vi = Names.requireText(vi, "vi");
        en = Names.requireText(en, "en");
    }
}
