package vn.lienthong.connectors.police;

import static vn.lienthong.connectors.police.Shape.Scalar.BOOLEAN;
import static vn.lienthong.connectors.police.Shape.Scalar.NUMBER;
import static vn.lienthong.connectors.police.Shape.Scalar.TEXT;
import static vn.lienthong.connectors.police.Shape.Scalar.WHOLE;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import vn.lienthong.connectors.police.Shape.Codes;
import vn.lienthong.connectors.police.Shape.Field;
import vn.lienthong.connectors.police.Shape.ListOf;
import vn.lienthong.connectors.police.Shape.Obj;
import vn.lienthong.connectors.police.Shape.Variant;

/**
 * The police-case-json profile 1.0: every police member beside the canonical (schema v1) member it
 * stands for, and the police code lists. The README of {@code formats/police-case-json/} is the
 * published form of this class; a test keeps this class, the README, the profile's JSON Schema and
 * the canonical schemas in step.
 */
final class PoliceProfile {

    /** The profile version written in {@code phien_ban}. */
    static final String VERSION = "1.0";

    /** The canonical schema version decoded messages declare. */
    static final String SCHEMA_VERSION = "1.0";

    /** The police top-level member holding the profile version. */
    static final String VERSION_MEMBER = "phien_ban";
    /** The police top-level member holding the header (the canonical envelope). */
    static final String HEADER_MEMBER = "thong_tin_chung";
    /** The police top-level member holding the content (the canonical payload). */
    static final String BODY_MEMBER = "noi_dung";

    private PoliceProfile() {
    }

    // ---- code lists -------------------------------------------------------------------------

    static final Codes MESSAGE_KIND = Codes.of("loai_thong_diep",
            "violation.notice", "THONG_BAO_VI_PHAM",
            "case.transfer", "CHUYEN_HO_SO_VU_VIEC",
            "freeze.request", "YEU_CAU_PHONG_TOA",
            "freeze.report", "BAO_CAO_PHONG_TOA",
            "info.request", "YEU_CAU_CUNG_CAP_THONG_TIN",
            "info.response", "TRA_LOI_CUNG_CAP_THONG_TIN");

    /**
     * Urgency: the official document urgency levels above "khẩn" (thượng khẩn, hỏa tốc) all mean
     * "deliver at once", which is what canonical {@code urgent} says; they come back as KHAN.
     */
    static final Codes PRIORITY = Codes.of("do_khan",
            "normal", "THUONG",
            "urgent", "KHAN")
            .withAliases(ordered("THUONG_KHAN", "urgent", "HOA_TOC", "urgent"));

    /**
     * Classification. The state-secret levels (Law 29/2018) are passed on as the canonical spellings
     * of those levels, so that the gateway refuses them with STATE_SECRET_NOT_ALLOWED rather than a
     * generic decoding error.
     */
    static final Codes CLASSIFICATION = Codes.of("do_mat",
            "public", "CONG_KHAI",
            "internal", "NOI_BO",
            "restricted", "HAN_CHE")
            .withPassThrough(ordered("MAT", "mat", "TOI_MAT", "toi-mat", "TUYET_MAT", "tuyet-mat"));

    static final Codes SUBJECT_KIND = Codes.of("loai_doi_tuong",
            "person", "CA_NHAN",
            "organization", "TO_CHUC");

    static final Codes ORGANIZATION_KIND = Codes.of("loai_doi_tuong_to_chuc",
            "organization", "TO_CHUC");

    static final Codes VIOLATION = Codes.of("loai_vi_pham",
            "COUNTERFEIT", "HANG_GIA",
            "SMUGGLED", "BUON_LAU",
            "PROHIBITED", "HANG_CAM",
            "UNKNOWN_ORIGIN", "KHONG_RO_NGUON_GOC",
            "IP_INFRINGING", "XAM_PHAM_SHTT",
            "SUBSTANDARD", "KEM_CHAT_LUONG",
            "CONSUMER_RIGHTS", "QUYEN_LOI_NTD",
            "DIGITAL_PLATFORM", "VI_PHAM_NEN_TANG_SO",
            "TAX_EVASION", "TRON_THUE");

    static final Codes GOODS = Codes.of("nhom_hang",
            "PHARMACEUTICALS", "DUOC_PHAM",
            "FOOD_SUPPLEMENTS", "THUC_PHAM_TPCN",
            "MILK", "SUA",
            "COSMETICS", "MY_PHAM",
            "MEDICAL_DEVICES", "TRANG_THIET_BI_Y_TE",
            "HELMETS", "MU_BAO_HIEM",
            "FUEL_LPG", "XANG_DAU_KHI_HOA_LONG",
            "FERTILIZER_PESTICIDES", "PHAN_BON_THUOC_BVTV",
            "CLOTHING_FOOTWEAR_BAGS", "QUAN_AO_GIAY_DEP_TUI_XACH",
            "WATCHES", "DONG_HO",
            "ELECTRONICS", "DIEN_THOAI_DIEN_TU",
            "TOBACCO", "THUOC_LA",
            "ALCOHOL", "RUOU_BIA",
            "SUGAR", "DUONG",
            "FIREWORKS", "PHAO",
            "OTHER", "KHAC");

    static final Codes MEASURE = Codes.of("bien_phap",
            "FREEZE", "PHONG_TOA",
            "DELAY", "TAM_DUNG_GIAO_DICH",
            "RELEASE", "GIAI_TOA");

    static final Codes LEGAL_GROUND = Codes.of("ma_can_cu",
            "CPC_2015_ART_129", "BLTTHS_2015_D129",
            "AML_2022_ART_44", "LPCRT_2022_D44",
            "DECREE_296_2025", "ND_296_2025",
            "DECREE_52_2024_ART_11", "ND_52_2024_D11",
            "CPC_2015_ART_130", "BLTTHS_2015_D130",
            "OTHER", "KHAC");

    static final Codes FREEZE_STATUS = Codes.of("ket_qua_thuc_hien",
            "EXECUTED", "DA_THUC_HIEN",
            "PARTIALLY_EXECUTED", "THUC_HIEN_MOT_PHAN",
            "REJECTED", "TU_CHOI",
            "RELEASED", "DA_GIAI_TOA",
            "EXPIRED", "HET_HIEU_LUC");

    static final Codes ASK = Codes.of("noi_dung_yeu_cau",
            "SELLER_IDENTITY", "NHAN_THAN_NGUOI_BAN",
            "TAX_REGISTRATION", "DANG_KY_THUE",
            "E_INVOICES", "HOA_DON_DIEN_TU",
            "CUSTOMS_DECLARATIONS", "TO_KHAI_HAI_QUAN",
            "ACCOUNT_TRANSACTIONS", "GIAO_DICH_TAI_KHOAN",
            "PLATFORM_SELLER_DATA", "DU_LIEU_NGUOI_BAN_TREN_SAN");

    static final Codes RESPONSE_STATUS = Codes.of("tinh_trang_tra_loi",
            "COMPLETE", "DAY_DU",
            "PARTIAL", "MOT_PHAN",
            "NO_DATA", "KHONG_CO_DU_LIEU",
            "REFUSED", "TU_CHOI");

    static final Codes TAX_STATUS = Codes.of("trang_thai_mst",
            "ACTIVE", "DANG_HOAT_DONG",
            "SUSPENDED", "TAM_NGUNG_HOAT_DONG",
            "CEASED", "NGUNG_HOAT_DONG",
            "NOT_AT_ADDRESS", "KHONG_HOAT_DONG_TAI_DIA_CHI",
            "CLOSED", "CHAM_DUT_HIEU_LUC_MST");

    // ---- shared shapes ----------------------------------------------------------------------

    static final Obj PROVINCE_ORIGINAL = obj("gia_tri_goc",
            f("code", "ma_tinh", TEXT),
            f("name", "ten_tinh", TEXT),
            f("former", "la_ma_cu", BOOLEAN));

    static final Obj PROVINCE = obj("tinh_thanh",
            f("code", "ma_tinh", TEXT),
            f("name", "ten_tinh", TEXT),
            f("former", "la_ma_cu", BOOLEAN),
            f("original", "gia_tri_goc", PROVINCE_ORIGINAL));

    static final Obj ADDRESS = obj("dia_chi",
            f("line", "chi_tiet", TEXT),
            f("commune", "xa_phuong", TEXT),
            f("province", "tinh_thanh", PROVINCE));

    static final Obj PERSON = obj("ca_nhan",
            f("fullName", "ho_ten", TEXT),
            f("cccd", "so_cccd", TEXT),
            f("taxCode", "ma_so_thue", TEXT),
            f("passport", "so_ho_chieu", TEXT),
            f("nationality", "quoc_tich", TEXT),
            f("birthYear", "nam_sinh", WHOLE),
            f("address", "dia_chi", ADDRESS),
            f("phone", "so_dien_thoai", TEXT));

    static final Obj ORGANIZATION = obj("to_chuc",
            f("name", "ten_to_chuc", TEXT),
            f("taxCode", "ma_so_thue", TEXT),
            f("address", "dia_chi", ADDRESS),
            f("representative", "nguoi_dai_dien", TEXT),
            f("country", "quoc_gia", TEXT));

    static final Variant SUBJECT = new Variant("doi_tuong", "kind", "loai_doi_tuong", SUBJECT_KIND,
            ordered("person", PERSON, "organization", ORGANIZATION));

    /** A platform's operator is always an organization. */
    static final Variant OPERATOR = new Variant("don_vi_van_hanh", "kind", "loai_doi_tuong", ORGANIZATION_KIND,
            Map.of("organization", ORGANIZATION));

    static final Obj PLATFORM = obj("san_tmdt",
            f("name", "ten_san", TEXT),
            f("domain", "ten_mien", TEXT),
            f("operator", "don_vi_van_hanh", OPERATOR));

    static final Obj SHOP = obj("gian_hang",
            f("name", "ten_gian_hang", TEXT),
            f("url", "duong_dan", TEXT),
            f("platformShopId", "ma_gian_hang", TEXT));

    static final Obj LISTING = obj("tin_dang_ban",
            f("url", "duong_dan", TEXT),
            f("title", "tieu_de", TEXT),
            f("shop", "gian_hang", SHOP));

    static final Obj ISSUER = obj("co_quan",
            f("name", "ten_co_quan", TEXT),
            f("organId", "ma_dinh_danh", TEXT),
            f("agency", "ma_don_vi", TEXT));

    static final Obj SIGNER = obj("nguoi_ky",
            f("fullName", "ho_ten", TEXT),
            f("position", "chuc_vu", TEXT));

    /** A decision (quyết định): number, date, issuing authority, signer. */
    static final Obj DECISION = obj("quyet_dinh",
            f("number", "so_quyet_dinh", TEXT),
            f("date", "ngay_quyet_dinh", TEXT),
            f("issuer", "co_quan_ban_hanh", ISSUER),
            f("signer", "nguoi_ky", SIGNER));

    /** A violation record (biên bản): the same document reference, in the words of a record. */
    static final Obj RECORD = obj("bien_ban",
            f("number", "so_bien_ban", TEXT),
            f("date", "ngay_lap", TEXT),
            f("issuer", "co_quan_lap", ISSUER),
            f("signer", "nguoi_lap", SIGNER));

    static final Obj PERIOD = obj("thoi_ky",
            f("from", "tu_ngay", TEXT),
            f("to", "den_ngay", TEXT));

    static final Obj ATTACHMENT = obj("tep_dinh_kem",
            f("name", "ten_tep", TEXT),
            f("mediaType", "kieu_noi_dung", TEXT),
            f("size", "kich_thuoc", WHOLE),
            f("sha256", "ma_bam_sha256", TEXT),
            f("ref", "tham_chieu", TEXT));

    // ---- the header (the canonical envelope without schemaVersion and payload) ---------------

    static final Obj HEADER = obj(HEADER_MEMBER,
            f("type", "loai_thong_diep", MESSAGE_KIND),
            f("messageId", "ma_thong_diep", TEXT),
            f("sender", "don_vi_gui", TEXT),
            f("recipients", "don_vi_nhan", list(TEXT)),
            f("correlationId", "ma_lien_ket", TEXT),
            f("inReplyTo", "tra_loi_cho", TEXT),
            f("createdAt", "thoi_gian_tao", TEXT),
            f("priority", "do_khan", PRIORITY),
            f("classification", "do_mat", CLASSIFICATION),
            f("legalBasis", "can_cu_phap_ly", TEXT),
            f("deadline", "han_xu_ly", TEXT),
            f("attachments", "tep_dinh_kem", list(ATTACHMENT)));

    // ---- payloads -----------------------------------------------------------------------------

    static final Obj GOODS_ITEM = obj("hang_hoa",
            f("description", "mo_ta", TEXT),
            f("category", "nhom_hang", GOODS),
            f("brand", "nhan_hieu", TEXT),
            f("quantity", "so_luong", NUMBER),
            f("unit", "don_vi_tinh", TEXT),
            f("estimatedValueVnd", "tri_gia_uoc_tinh", WHOLE));

    static final Obj EVIDENCE = obj("chung_cu",
            f("description", "mo_ta", TEXT),
            f("attachment", "ten_tep", TEXT),
            f("capturedAt", "thoi_diem_thu_thap", TEXT));

    static final Obj VIOLATION_NOTICE = obj("noi_dung_thong_bao_vi_pham",
            f("caseRef", "ma_vu_viec", TEXT),
            f("detectedAt", "thoi_gian_phat_hien", TEXT),
            f("categories", "loai_vi_pham", list(VIOLATION)),
            f("subjects", "doi_tuong", list(SUBJECT)),
            f("platform", "san_tmdt", PLATFORM),
            f("shop", "gian_hang", SHOP),
            f("listings", "tin_dang_ban", list(LISTING)),
            f("goods", "hang_hoa", list(GOODS_ITEM)),
            f("province", "tinh_thanh", PROVINCE),
            f("record", "bien_ban", RECORD),
            f("description", "hanh_vi_vi_pham", TEXT),
            f("measures", "bien_phap_da_ap_dung", list(TEXT)),
            f("evidence", "chung_cu", list(EVIDENCE)));

    static final Obj CASE_TRANSFER = obj("noi_dung_chuyen_ho_so",
            f("caseRef", "ma_vu_viec", TEXT),
            f("transferDecision", "quyet_dinh_chuyen_ho_so", DECISION),
            f("subjects", "doi_tuong", list(SUBJECT)),
            f("categories", "loai_vi_pham", list(VIOLATION)),
            f("summary", "tom_tat_vu_viec", TEXT),
            f("suspectedOffences", "dau_hieu_toi_pham", list(TEXT)),
            f("relatedNotices", "thong_bao_lien_quan", list(TEXT)),
            f("province", "tinh_thanh", PROVINCE),
            f("goodsValueVnd", "tri_gia_hang_hoa", WHOLE),
            f("caseFile", "ho_so_vu_viec", list(TEXT)));

    static final Obj LEGAL_GROUND_SHAPE = obj("can_cu_ap_dung",
            f("code", "ma_can_cu", LEGAL_GROUND),
            f("text", "dien_giai", TEXT));

    /** A freeze decision adds its legal ground to the decision reference. */
    static final Obj FREEZE_DECISION = obj("quyet_dinh_phong_toa",
            f("number", "so_quyet_dinh", TEXT),
            f("date", "ngay_quyet_dinh", TEXT),
            f("issuer", "co_quan_ban_hanh", ISSUER),
            f("signer", "nguoi_ky", SIGNER),
            f("legalGround", "can_cu_ap_dung", LEGAL_GROUND_SHAPE));

    static final Obj BANK = obj("ngan_hang",
            f("bin", "ma_bin", TEXT),
            f("name", "ten_ngan_hang", TEXT),
            f("branch", "chi_nhanh", TEXT));

    static final Obj HOLDER = obj("chu_tai_khoan",
            f("fullName", "ho_ten", TEXT),
            f("cccd", "so_cccd", TEXT),
            f("taxCode", "ma_so_thue", TEXT),
            f("birthYear", "nam_sinh", WHOLE));

    static final Obj ACCOUNT = obj("tai_khoan",
            f("number", "so_tai_khoan", TEXT),
            f("holder", "chu_tai_khoan", HOLDER));

    static final Obj TRANSACTION = obj("giao_dich",
            f("reference", "ma_giao_dich", TEXT),
            f("counterpartyName", "ten_ben_doi_ung", TEXT),
            f("counterpartyAccount", "tai_khoan_doi_ung", TEXT));

    static final Obj FREEZE_REQUEST = obj("noi_dung_yeu_cau_phong_toa",
            f("measure", "bien_phap", MEASURE),
            f("decision", "quyet_dinh", FREEZE_DECISION),
            f("caseRef", "ma_vu_viec", TEXT),
            f("bank", "ngan_hang", BANK),
            f("account", "tai_khoan", ACCOUNT),
            f("amountVnd", "so_tien", WHOLE),
            f("start", "thoi_diem_bat_dau", TEXT),
            f("end", "thoi_diem_ket_thuc", TEXT),
            f("transaction", "giao_dich", TRANSACTION),
            f("releases", "ma_yeu_cau_phong_toa", TEXT),
            f("reason", "ly_do", TEXT));

    static final Obj FREEZE_REPORT = obj("noi_dung_bao_cao_phong_toa",
            f("request", "ma_thong_diep_yeu_cau", TEXT),
            f("status", "ket_qua_thuc_hien", FREEZE_STATUS),
            f("frozenAmountVnd", "so_tien_da_phong_toa", WHOLE),
            f("bankReference", "so_tham_chieu_ngan_hang", TEXT),
            f("executedAt", "thoi_diem_thuc_hien", TEXT),
            f("reportedAt", "thoi_diem_bao_cao", TEXT),
            f("reason", "ly_do", TEXT));

    static final Obj INFO_REQUEST = obj("noi_dung_yeu_cau_cung_cap",
            f("asks", "noi_dung_yeu_cau", list(ASK)),
            f("subjects", "doi_tuong", list(SUBJECT)),
            f("listings", "tin_dang_ban", list(LISTING)),
            f("period", "thoi_ky", PERIOD),
            f("caseRef", "ma_vu_viec", TEXT),
            f("purpose", "muc_dich", TEXT),
            f("questions", "cau_hoi", TEXT));

    static final Obj TAX_REGISTRATION = obj("dang_ky_thue",
            f("taxCode", "ma_so_thue", TEXT),
            f("registeredName", "ten_dang_ky", TEXT),
            f("status", "trang_thai", TAX_STATUS),
            f("registeredOn", "ngay_dang_ky", TEXT),
            f("taxOffice", "co_quan_thue", TEXT),
            f("address", "dia_chi", ADDRESS));

    static final Obj INVOICE = obj("hoa_don_dien_tu",
            f("symbol", "ky_hieu", TEXT),
            f("number", "so_hoa_don", TEXT),
            f("issuedOn", "ngay_lap", TEXT),
            f("sellerTaxCode", "mst_nguoi_ban", TEXT),
            f("buyerTaxCode", "mst_nguoi_mua", TEXT),
            f("goods", "hang_hoa", TEXT),
            f("totalVnd", "tong_tien", WHOLE),
            f("valid", "hop_le", BOOLEAN));

    static final Obj CUSTOMS_DECLARATION = obj("to_khai_hai_quan",
            f("number", "so_to_khai", TEXT),
            f("registeredOn", "ngay_dang_ky", TEXT),
            f("office", "chi_cuc_hai_quan", TEXT),
            f("hsCode", "ma_hs", TEXT),
            f("goods", "hang_hoa", TEXT),
            f("originCountry", "xuat_xu", TEXT),
            f("valueVnd", "tri_gia", WHOLE));

    static final Obj ACCOUNT_FIGURES = obj("tai_khoan_giao_dich",
            f("bankBin", "ma_bin", TEXT),
            f("number", "so_tai_khoan", TEXT),
            f("inflowVnd", "tong_tien_vao", WHOLE),
            f("outflowVnd", "tong_tien_ra", WHOLE));

    static final Obj RESULT = obj("ket_qua",
            f("ask", "noi_dung_yeu_cau", ASK),
            f("subject", "doi_tuong", SUBJECT),
            f("found", "tim_thay", BOOLEAN),
            f("taxRegistration", "dang_ky_thue", TAX_REGISTRATION),
            f("eInvoices", "hoa_don_dien_tu", list(INVOICE)),
            f("customsDeclarations", "to_khai_hai_quan", list(CUSTOMS_DECLARATION)),
            f("sellerIdentity", "nhan_than_nguoi_ban", SUBJECT),
            f("accounts", "tai_khoan", list(ACCOUNT_FIGURES)),
            f("note", "ghi_chu", TEXT));

    static final Obj INFO_RESPONSE = obj("noi_dung_tra_loi_cung_cap",
            f("request", "ma_thong_diep_yeu_cau", TEXT),
            f("status", "tinh_trang_tra_loi", RESPONSE_STATUS),
            f("reason", "ly_do", TEXT),
            f("results", "ket_qua", list(RESULT)));

    /** The payload shape of each canonical type the profile carries, in the order of the code list. */
    static final Map<String, Obj> PAYLOADS = ordered(
            "violation.notice", VIOLATION_NOTICE,
            "case.transfer", CASE_TRANSFER,
            "freeze.request", FREEZE_REQUEST,
            "freeze.report", FREEZE_REPORT,
            "info.request", INFO_REQUEST,
            "info.response", INFO_RESPONSE);

    static {
        if (!PAYLOADS.keySet().equals(MESSAGE_KIND.canonicalToPolice().keySet())) {
            throw new IllegalStateException("one payload shape per message kind expected");
        }
    }

    /** The payload shape of a canonical type, if the profile carries it. */
    static Optional<Obj> payload(String type) {
        return Optional.ofNullable(PAYLOADS.get(type));
    }

    // ---- declaration helpers ------------------------------------------------------------------

    private static Field f(String canonical, String police, Shape shape) {
        return new Field(canonical, police, shape);
    }

    private static Obj obj(String name, Field... fields) {
        return new Obj(name, List.of(fields));
    }

    private static ListOf list(Shape item) {
        return new ListOf(item);
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> ordered(Object... pairs) {
        Map<String, V> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (V) pairs[i + 1]);
        }
        return map;
    }
}
