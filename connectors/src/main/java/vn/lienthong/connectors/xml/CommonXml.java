package vn.lienthong.connectors.xml;

/**
 * The building blocks the XML profiles share: simple types mirroring {@code common.schema.json}, the
 * header that carries the envelope, and the common objects (subjects, addresses, provinces,
 * documents). Each profile's XSD holds its own copy of what it uses, in its own namespace.
 */
public final class CommonXml {

    private CommonXml() {
    }

    // ---------------------------------------------------------------------------------------------
    // Simple types (facets as in common.schema.json; rules beyond form are the validator's)

    /** A UUID, e.g. a messageId. */
    public static final XmlLeaf UUID = XmlLeaf.token("Uuid", "A UUID, 8-4-4-4-12 hexadecimal digits.")
            .pattern("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** The canonical schema version. */
    public static final XmlLeaf SCHEMA_VERSION = XmlLeaf.token("PhienBan",
            "The canonical schema version the message follows, e.g. 1.0.").pattern("1\\.[0-9]{1,3}");

    /** An agency code of the registry. */
    public static final XmlLeaf AGENCY = XmlLeaf.token("MaCoQuan",
            "An agency code of the lienthong registry, e.g. MOF.CUSTOMS, SBV, PROV.37.")
            .pattern("[A-Z][A-Z0-9]*(\\.[A-Z0-9]+)*").length(null, 40);

    /** A correlation id. */
    public static final XmlLeaf CORRELATION = XmlLeaf.token("MaLienKet",
            "Groups the messages of one case or conversation.").pattern("[A-Za-z0-9._:/\\-]+").length(1, 100);

    /** An instant with its offset. */
    public static final XmlLeaf DATE_TIME = XmlLeaf.dateTime("ThoiDiem",
            "An instant with its offset (RFC 3339), e.g. 2026-11-19T16:00:00+07:00.");

    /** A calendar date. */
    public static final XmlLeaf DATE = XmlLeaf.date("Ngay", "A calendar date YYYY-MM-DD, without time zone.");

    /** Text of 1 to 4000 characters. */
    public static final XmlLeaf TEXT = XmlLeaf.text("VanBan", "Text of 1 to 4000 characters.").length(1, 4000);

    /** Text of 1 to 300 characters. */
    public static final XmlLeaf SHORT_TEXT = XmlLeaf.text("VanBanNgan", "Text of 1 to 300 characters.")
            .length(1, 300);

    /** An amount in whole đồng. */
    public static final XmlLeaf VND = XmlLeaf.integer("SoTien", "An amount in whole Vietnamese đồng (VND).")
            .range("0", "1000000000000000");

    /** A boolean. */
    public static final XmlLeaf BOOLEAN = XmlLeaf.bool();

    /** A tax code (form only; the check digit is the validator's). */
    public static final XmlLeaf TAX_CODE = XmlLeaf.token("MaSoThue",
            "Mã số thuế: 10 digits, 10 + branch of 3 (hyphen optional), or a 12-digit personal ID number;"
                    + " the check digit is checked by the canonical validator.")
            .pattern("[0-9]{10}|[0-9]{10}-?[0-9]{3}|[0-9]{12}");

    /** A CCCD / personal ID number (form only). */
    public static final XmlLeaf CCCD = XmlLeaf.token("SoDinhDanh",
            "Số định danh cá nhân (CCCD): 12 digits; province, century and birth year are checked by the"
                    + " canonical validator.").pattern("[0-9]{12}");

    /** A passport number. */
    public static final XmlLeaf PASSPORT = XmlLeaf.token("SoHoChieu", "A passport number (foreigners).")
            .pattern("[A-Z0-9]{6,20}");

    /** A country code. */
    public static final XmlLeaf COUNTRY = XmlLeaf.token("MaQuocGia", "ISO 3166-1 alpha-2 country code.")
            .pattern("[A-Z]{2}");

    /** A year of birth. */
    public static final XmlLeaf BIRTH_YEAR = XmlLeaf.smallInteger("NamSinh", "A year of birth.")
            .range("1900", "2100");

    /** A phone number. */
    public static final XmlLeaf PHONE = XmlLeaf.text("SoDienThoai", "A phone number, digits with optional +, spaces,"
            + " dots and hyphens.").pattern("\\+?[0-9 .\\-]{6,20}");

    /** A province code. */
    public static final XmlLeaf PROVINCE_CODE = XmlLeaf.token("MaTinh",
            "A two-digit province code: one of the 34 since 1 July 2025, or a former one where marked.")
            .pattern("[0-9]{2}");

    /** An organ identifier (QCVN 102:2016). */
    public static final XmlLeaf ORGAN_ID = XmlLeaf.text("MaDinhDanhCoQuan",
            "An organ identifier in the QCVN 102:2016 form, e.g. 000.00.00.H30.").length(1, 35);

    /** A document number. */
    public static final XmlLeaf DOCUMENT_NUMBER = XmlLeaf.text("SoHieuVanBan",
            "The number of a signed document, e.g. 215/QĐ-CSKT-P3.").length(1, 100);

    /** An http(s) URL. */
    public static final XmlLeaf URL = XmlLeaf.token("DuongDan", "An absolute http or https URL.").length(1, 2048);

    /** A platform domain. */
    public static final XmlLeaf DOMAIN = XmlLeaf.token("TenMien", "A domain name, lower case, e.g. shopee.vn.")
            .pattern("[a-z0-9.\\-]+\\.[a-z]{2,}");

    /** A bank BIN (form only; the list is the validator's). */
    public static final XmlLeaf BANK_BIN = XmlLeaf.token("MaNganHang",
            "A NAPAS/VietQR bank BIN 970xxx; whether it names a bank is checked by the canonical validator.")
            .pattern("970[0-9]{3}");

    /** A payment account number. */
    public static final XmlLeaf ACCOUNT_NUMBER = XmlLeaf.token("SoTaiKhoan",
            "A payment account number: 6 to 19 digits, no national format.").pattern("[0-9]{6,19}");

    // ---------------------------------------------------------------------------------------------
    // Code lists

    /** normal / urgent. */
    public static final XmlLeaf PRIORITY = XmlLeaf.code("DoKhan", "How urgent the message is.", CodeList.builder()
            .code("normal", "Thuong", "thường: in turn")
            .code("urgent", "Khan", "khẩn: handled at once (an urgent freeze request, a deadline close)")
            .build());

    /**
     * The classification. The state-secret levels are listed only to be refused by the validator
     * with {@code STATE_SECRET_NOT_ALLOWED} rather than as an unknown code.
     */
    public static final XmlLeaf CLASSIFICATION = XmlLeaf.code("PhanLoai",
            "Who may see the message. The three state-secret levels are recognized only so that the gateway"
                    + " refuses them with STATE_SECRET_NOT_ALLOWED: such documents never cross it (Law 29/2018).",
            CodeList.builder()
                    .code("public", "CongKhai", "công khai: public")
                    .code("internal", "NoiBo", "nội bộ: for government use")
                    .code("restricted", "HanChe", "hạn chế: holds personal data (Decree 13/2023)")
                    .code("Mật", "Mat", "state secret (Mật): refused")
                    .code("Tối mật", "ToiMat", "state secret (Tối mật): refused")
                    .code("Tuyệt mật", "TuyetMat", "state secret (Tuyệt mật): refused")
                    .build());

    // ---------------------------------------------------------------------------------------------
    // The header (the envelope) and attachments

    /** An attachment carried by reference. */
    public static final XmlObject ATTACHMENT = XmlObject.of("TepDinhKem",
            "A file carried by reference (claim check): the gateway keeps the bytes, checked by size and SHA-256.",
            XmlMember.of("name", "Ten", XmlLeaf.text("TenTep", "A file name, without / or \\.")
                    .length(1, 255).pattern("[^/\\\\]+")).required(),
            XmlMember.of("mediaType", "KieuNoiDung", XmlLeaf.token("KieuNoiDung", "A media type, e.g. application/pdf.")
                    .pattern("[a-z]+/[A-Za-z0-9.+\\-]+")).required(),
            XmlMember.of("size", "KichThuoc", XmlLeaf.integer("KichThuocTep", "A size in bytes, at most 10 GiB.")
                    .range("0", "10737418240")).required(),
            XmlMember.of("sha256", "MaBamSha256", XmlLeaf.token("MaBamSha256",
                    "The SHA-256 of the file, 64 lower-case hexadecimal digits.").pattern("[0-9a-f]{64}")).required(),
            XmlMember.of("ref", "ThamChieu", XmlLeaf.text("ThamChieuTep",
                    "Where the gateway keeps the file, e.g. att:9f1c.../name.pdf.").length(1, 2048)).required());

    /** The header: every envelope member except {@code type} (the root) and {@code payload} (the rest). */
    public static final XmlObject HEADER = XmlObject.of("ThongTinChung",
            "The envelope: who sends what to whom, under which classification and legal basis. The message type"
                    + " is the root element; the payload follows the header.",
            XmlMember.of("messageId", "MaThongDiep", UUID).required()
                    .doc("chosen by the sender, unique per sender"),
            XmlMember.of("schemaVersion", "PhienBan", SCHEMA_VERSION).required(),
            XmlMember.of("sender", "NoiGui", AGENCY).required(),
            XmlMember.list("recipients", "NoiNhan", AGENCY).required().items(1, 100),
            XmlMember.of("correlationId", "MaLienKet", CORRELATION),
            XmlMember.of("inReplyTo", "TraLoiThongDiep", UUID).doc("the messageId this message answers"),
            XmlMember.of("createdAt", "ThoiDiemTao", DATE_TIME).required(),
            XmlMember.of("priority", "DoKhan", PRIORITY).doc("absent: normal"),
            XmlMember.of("classification", "PhanLoai", CLASSIFICATION).required(),
            XmlMember.of("legalBasis", "CoSoPhapLy", TEXT).doc("the provision the sender acts under"),
            XmlMember.of("deadline", "HanXuLy", DATE_TIME).doc("when the recipient must answer or act"),
            XmlMember.list("attachments", "TepDinhKem", ATTACHMENT).items(0, 200));

    // ---------------------------------------------------------------------------------------------
    // Documents, issuers and signers

    /** The authority that issued a document. */
    public static final XmlObject ISSUER = XmlObject.of("CoQuanBanHanh", "The authority that issued a document.",
            XmlMember.of("name", "Ten", SHORT_TEXT).required(),
            XmlMember.of("organId", "MaDinhDanh", ORGAN_ID),
            XmlMember.of("agency", "MaCoQuan", AGENCY));

    /** Who signed a document. */
    public static final XmlObject SIGNER = XmlObject.of("NguoiKy", "Who signed a document.",
            XmlMember.of("fullName", "HoTen", SHORT_TEXT).required(),
            XmlMember.of("position", "ChucVu", SHORT_TEXT).required().doc("e.g. Phó Cục trưởng"));

    /** A signed document (documentRef). */
    public static final XmlObject DOCUMENT = XmlObject.of("ThongTinVanBan",
            "A signed document: number, date, issuer, signer (e.g. a violation record 123/BB-VPHC).",
            XmlMember.of("number", "SoHieu", DOCUMENT_NUMBER).required(),
            XmlMember.of("date", "NgayBanHanh", DATE).required(),
            XmlMember.of("issuer", "CoQuanBanHanh", ISSUER).required(),
            XmlMember.of("signer", "NguoiKy", SIGNER));

    // ---------------------------------------------------------------------------------------------
    // Provinces, addresses, subjects

    /** What the sender wrote for a province, kept by the validator when it normalized it. */
    public static final XmlObject PROVINCE_ORIGINAL = XmlObject.of("TinhThanhGoc",
            "The province as the sender first wrote it, kept beside the normalized one.",
            XmlMember.of("code", "Ma", PROVINCE_CODE),
            XmlMember.of("name", "Ten", SHORT_TEXT),
            XmlMember.of("former", "TinhCu", BOOLEAN));

    /** A province. */
    public static final XmlObject PROVINCE = XmlObject.of("TinhThanh",
            "A province: code and/or name (at least one; checked by the canonical validator). A former (pre-2025)"
                    + " code counts as such only with TinhCu = true.",
            XmlMember.of("code", "Ma", PROVINCE_CODE),
            XmlMember.of("name", "Ten", SHORT_TEXT),
            XmlMember.of("former", "TinhCu", BOOLEAN).doc("the code is a pre-2025 one"),
            XmlMember.of("original", "GiaTriGoc", PROVINCE_ORIGINAL).doc("set by the gateway when it normalized"));

    /** An address. */
    public static final XmlObject ADDRESS = XmlObject.of("DiaChi", "An address; there is no district level since 1 July 2025.",
            XmlMember.of("line", "ChiTiet", SHORT_TEXT).required().doc("house number, street, hamlet"),
            XmlMember.of("commune", "XaPhuong", SHORT_TEXT).doc("xã / phường / đặc khu"),
            XmlMember.of("province", "TinhThanh", PROVINCE));

    /** A person. */
    public static final XmlObject PERSON = XmlObject.of("CaNhan",
            "A person; at least one of SoDinhDanh, MaSoThue, SoHoChieu (checked by the canonical validator).",
            XmlMember.of("fullName", "HoTen", SHORT_TEXT).required(),
            XmlMember.of("cccd", "SoDinhDanh", CCCD),
            XmlMember.of("taxCode", "MaSoThue", TAX_CODE),
            XmlMember.of("passport", "SoHoChieu", PASSPORT),
            XmlMember.of("nationality", "QuocTich", COUNTRY),
            XmlMember.of("birthYear", "NamSinh", BIRTH_YEAR),
            XmlMember.of("address", "DiaChi", ADDRESS),
            XmlMember.of("phone", "SoDienThoai", PHONE)).constant("kind", "person");

    /** An organization. */
    public static final XmlObject ORGANIZATION = XmlObject.of("ToChuc", "An organization (enterprise, household business, platform operator).",
            XmlMember.of("name", "Ten", SHORT_TEXT).required(),
            XmlMember.of("taxCode", "MaSoThue", TAX_CODE),
            XmlMember.of("address", "DiaChi", ADDRESS),
            XmlMember.of("representative", "NguoiDaiDien", SHORT_TEXT),
            XmlMember.of("country", "QuocGia", COUNTRY)).constant("kind", "organization");

    /** A subject: a person or an organization. */
    public static final XmlVariant SUBJECT = XmlVariant.of("DoiTuong",
            "Who a message is about: a person (CaNhan) or an organization (ToChuc).",
            new XmlVariant.Alternative("CaNhan", PERSON),
            new XmlVariant.Alternative("ToChuc", ORGANIZATION));

    // ---------------------------------------------------------------------------------------------
    // E-commerce

    /** A shop on a platform. */
    public static final XmlObject SHOP = XmlObject.of("GianHang", "A shop on a platform.",
            XmlMember.of("name", "Ten", SHORT_TEXT).required(),
            XmlMember.of("url", "DuongDan", URL),
            XmlMember.of("platformShopId", "MaGianHang", SHORT_TEXT).doc("the platform's id of the shop"));

    /** A listing. */
    public static final XmlObject LISTING = XmlObject.of("TinDang", "A listing (tin đăng bán) on a platform.",
            XmlMember.of("url", "DuongDan", URL).required(),
            XmlMember.of("title", "TieuDe", SHORT_TEXT),
            XmlMember.of("shop", "GianHang", SHOP));

    /** A platform. */
    public static final XmlObject PLATFORM = XmlObject.of("NenTang", "An e-commerce platform or social network.",
            XmlMember.of("name", "Ten", SHORT_TEXT).required().doc("e.g. Shopee, Lazada, TikTok Shop"),
            XmlMember.of("domain", "TenMien", DOMAIN),
            XmlMember.of("operator", "DonViVanHanh", ORGANIZATION).doc("an organization; kind is implied"));

    /** A period of dates. */
    public static final XmlObject PERIOD = XmlObject.of("KhoangThoiGian", "A period of dates, both included.",
            XmlMember.of("from", "TuNgay", DATE).required(),
            XmlMember.of("to", "DenNgay", DATE).required());
}
