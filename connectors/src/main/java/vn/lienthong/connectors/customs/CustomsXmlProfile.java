package vn.lienthong.connectors.customs;

import static vn.lienthong.connectors.xml.CommonXml.ACCOUNT_NUMBER;
import static vn.lienthong.connectors.xml.CommonXml.ADDRESS;
import static vn.lienthong.connectors.xml.CommonXml.BANK_BIN;
import static vn.lienthong.connectors.xml.CommonXml.BOOLEAN;
import static vn.lienthong.connectors.xml.CommonXml.COUNTRY;
import static vn.lienthong.connectors.xml.CommonXml.DATE;
import static vn.lienthong.connectors.xml.CommonXml.DATE_TIME;
import static vn.lienthong.connectors.xml.CommonXml.DOCUMENT;
import static vn.lienthong.connectors.xml.CommonXml.LISTING;
import static vn.lienthong.connectors.xml.CommonXml.PERIOD;
import static vn.lienthong.connectors.xml.CommonXml.PLATFORM;
import static vn.lienthong.connectors.xml.CommonXml.PROVINCE;
import static vn.lienthong.connectors.xml.CommonXml.SHOP;
import static vn.lienthong.connectors.xml.CommonXml.SHORT_TEXT;
import static vn.lienthong.connectors.xml.CommonXml.SUBJECT;
import static vn.lienthong.connectors.xml.CommonXml.TAX_CODE;
import static vn.lienthong.connectors.xml.CommonXml.TEXT;
import static vn.lienthong.connectors.xml.CommonXml.UUID;
import static vn.lienthong.connectors.xml.CommonXml.VND;

import java.util.List;
import vn.lienthong.connectors.xml.CodeList;
import vn.lienthong.connectors.xml.CommonXml;
import vn.lienthong.connectors.xml.XmlLeaf;
import vn.lienthong.connectors.xml.XmlMember;
import vn.lienthong.connectors.xml.XmlMessage;
import vn.lienthong.connectors.xml.XmlObject;
import vn.lienthong.connectors.xml.XmlProfile;
import vn.lienthong.schemas.MessageType;

/**
 * The mapping tables of customs-xml: violation (seizure) notices and declaration look-ups, element
 * by element against the canonical payloads of {@code violation.notice}, {@code info.request} and
 * {@code info.response}.
 */
public final class CustomsXmlProfile {

    /** Where the XSD is on the classpath. */
    public static final String XSD = "formats/customs-xml/customs-xml.xsd";

    private CustomsXmlProfile() {
    }

    // ---------------------------------------------------------------------------------------------
    // Code lists

    /** Violation categories (Decree 98/2020 art. 3 as amended by Decree 24/2025; Decree 99/2013). */
    static final XmlLeaf VIOLATION_CATEGORY = XmlLeaf.code("LoaiViPham",
            "Violation category (Decree 98/2020 art. 3 as amended by Decree 24/2025; Decree 99/2013 for IP).",
            CodeList.builder()
                    .code("COUNTERFEIT", "HangGia", "hàng giả (incl. counterfeit stamps, labels, packaging)")
                    .code("SMUGGLED", "HangNhapLau", "hàng nhập lậu")
                    .code("PROHIBITED", "HangCam", "hàng cấm")
                    .code("UNKNOWN_ORIGIN", "KhongRoNguonGoc", "hàng không rõ nguồn gốc, xuất xứ")
                    .code("IP_INFRINGING", "XamPhamSoHuuTriTue", "hàng xâm phạm quyền sở hữu trí tuệ")
                    .code("SUBSTANDARD", "ViPhamChatLuong", "vi phạm chất lượng, đo lường, giá, an toàn thực phẩm")
                    .code("CONSUMER_RIGHTS", "XamPhamQuyenLoiNguoiTieuDung", "xâm phạm quyền lợi người tiêu dùng")
                    .code("DIGITAL_PLATFORM", "ViPhamNenTangSo", "vi phạm trên nền tảng số (Decree 24/2025 art. 53a)")
                    .code("TAX_EVASION", "TronThue", "trốn thuế")
                    .build());

    /** Priority goods of the 2026 plan. */
    static final XmlLeaf GOODS_CATEGORY = XmlLeaf.code("NhomHang", "Goods group: the priority goods of the 2026 plan,"
            + " and Khac.", CodeList.builder()
                    .code("PHARMACEUTICALS", "DuocPham", "dược phẩm")
                    .code("FOOD_SUPPLEMENTS", "ThucPhamChucNang", "thực phẩm, thực phẩm chức năng")
                    .code("MILK", "Sua", "sữa")
                    .code("COSMETICS", "MyPham", "mỹ phẩm")
                    .code("MEDICAL_DEVICES", "TrangThietBiYTe", "trang thiết bị y tế")
                    .code("HELMETS", "MuBaoHiem", "mũ bảo hiểm")
                    .code("FUEL_LPG", "XangDauKhiDot", "xăng dầu, khí dầu mỏ hóa lỏng")
                    .code("FERTILIZER_PESTICIDES", "PhanBonThuocBaoVeThucVat", "phân bón, thuốc bảo vệ thực vật")
                    .code("CLOTHING_FOOTWEAR_BAGS", "QuanAoGiayDepTuiXach", "quần áo, giày dép, túi xách")
                    .code("WATCHES", "DongHo", "đồng hồ")
                    .code("ELECTRONICS", "DienThoaiDienTu", "điện thoại, thiết bị điện tử")
                    .code("TOBACCO", "ThuocLa", "thuốc lá, thuốc lá điện tử")
                    .code("ALCOHOL", "RuouBia", "rượu, bia")
                    .code("SUGAR", "Duong", "đường")
                    .code("FIREWORKS", "Phao", "pháo")
                    .code("OTHER", "Khac", "khác")
                    .build());

    /** What an info.request asks for. */
    static final XmlLeaf ASK = XmlLeaf.code("NoiDungTraCuu", "What is asked for.", CodeList.builder()
            .code("SELLER_IDENTITY", "DanhTinhNguoiBan", "danh tính người bán")
            .code("TAX_REGISTRATION", "DangKyThue", "thông tin đăng ký thuế")
            .code("E_INVOICES", "HoaDonDienTu", "hóa đơn điện tử")
            .code("CUSTOMS_DECLARATIONS", "ToKhaiHaiQuan", "tờ khai hải quan")
            .code("ACCOUNT_TRANSACTIONS", "GiaoDichTaiKhoan", "giao dịch tài khoản")
            .code("PLATFORM_SELLER_DATA", "DuLieuNguoiBanTrenSan", "dữ liệu người bán trên sàn")
            .build());

    /** How complete an answer is. */
    static final XmlLeaf RESPONSE_STATUS = XmlLeaf.code("TrangThaiTraLoi", "How complete the answer is.",
            CodeList.builder()
                    .code("COMPLETE", "DayDu", "đầy đủ")
                    .code("PARTIAL", "MotPhan", "một phần (LyDo says why)")
                    .code("NO_DATA", "KhongCoDuLieu", "không có dữ liệu")
                    .code("REFUSED", "TuChoi", "từ chối (LyDo says why)")
                    .build());

    /** A taxpayer's registration status. */
    static final XmlLeaf TAX_STATUS = XmlLeaf.code("TrangThaiMaSoThue", "A taxpayer's registration status.",
            CodeList.builder()
                    .code("ACTIVE", "DangHoatDong", "đang hoạt động")
                    .code("SUSPENDED", "TamNgungKinhDoanh", "tạm ngừng kinh doanh")
                    .code("CEASED", "NgungHoatDong", "ngừng hoạt động")
                    .code("NOT_AT_ADDRESS", "KhongHoatDongTaiDiaChi", "không hoạt động tại địa chỉ đã đăng ký")
                    .code("CLOSED", "ChamDutHieuLuc", "chấm dứt hiệu lực mã số thuế")
                    .build());

    // ---------------------------------------------------------------------------------------------
    // violation.notice

    static final XmlObject GOODS = XmlObject.of("HangHoa", "Goods concerned.",
            XmlMember.of("description", "MoTa", SHORT_TEXT).required(),
            XmlMember.of("category", "NhomHang", GOODS_CATEGORY).required(),
            XmlMember.of("brand", "NhanHieu", SHORT_TEXT),
            XmlMember.of("quantity", "SoLuong", XmlLeaf.decimal("SoLuong", "A quantity, not negative; may have a"
                    + " fraction (kilograms, litres).").range("0", null)),
            XmlMember.of("unit", "DonViTinh", XmlLeaf.text("DonViTinh", "A unit: hộp, bao, kg, lít ...")
                    .length(1, 30)),
            XmlMember.of("estimatedValueVnd", "TriGiaUocTinh", VND));

    static final XmlObject EVIDENCE = XmlObject.of("ChungCu", "A piece of evidence, usually an attached file.",
            XmlMember.of("description", "MoTa", SHORT_TEXT).required(),
            XmlMember.of("attachment", "TenTep", XmlLeaf.text("TenTepDinhKem",
                    "The name of one of the header's attachments.").length(1, 255))
                    .doc("names an attachment of the header"),
            XmlMember.of("capturedAt", "ThoiDiemThuThap", DATE_TIME));

    static final XmlObject VIOLATION_NOTICE = XmlObject.of("ThongBaoViPham",
            "A violation or seizure notice: what was found, about whom, where, with the record and evidence.",
            XmlMember.of("caseRef", "MaVuViec", SHORT_TEXT).required().doc("the sender's case reference"),
            XmlMember.of("detectedAt", "ThoiDiemPhatHien", DATE_TIME).required(),
            XmlMember.list("categories", "LoaiViPham", VIOLATION_CATEGORY).required().items(1, 0)
                    .doc("each at most once"),
            XmlMember.list("subjects", "DoiTuong", SUBJECT).required().items(1, 100),
            XmlMember.of("platform", "NenTang", PLATFORM),
            XmlMember.of("shop", "GianHang", SHOP),
            XmlMember.list("listings", "TinDang", LISTING).items(0, 1000),
            XmlMember.list("goods", "HangHoa", GOODS).items(0, 1000),
            XmlMember.of("province", "TinhThanh", PROVINCE).required()
                    .doc("where detected or where the seller operates"),
            XmlMember.of("record", "BienBan", DOCUMENT).doc("the violation record (biên bản), e.g. 123/BB-VPHC"),
            XmlMember.of("description", "MoTa", TEXT).required(),
            XmlMember.list("measures", "BienPhap", SHORT_TEXT).items(0, 50).doc("measures taken, e.g. tạm giữ"),
            XmlMember.list("evidence", "ChungCu", EVIDENCE).items(0, 200));

    // ---------------------------------------------------------------------------------------------
    // info.request

    static final XmlObject INFO_REQUEST = XmlObject.of("YeuCauTraCuu",
            "A look-up request (e.g. the customs declarations of a company); the header carries CoSoPhapLy and HanXuLy,"
                    + " both required for this type. Names DanhSachDoiTuong or DanhSachTinDang, or both.",
            XmlMember.list("asks", "NoiDungTraCuu", ASK).required().items(1, 0).doc("each at most once"),
            XmlMember.list("subjects", "DoiTuong", SUBJECT).items(1, 1000),
            XmlMember.list("listings", "TinDang", LISTING).items(1, 1000),
            XmlMember.of("period", "KyTraCuu", PERIOD),
            XmlMember.of("caseRef", "MaVuViec", SHORT_TEXT),
            XmlMember.of("purpose", "MucDich", TEXT).required(),
            XmlMember.of("questions", "CauHoi", TEXT));

    // ---------------------------------------------------------------------------------------------
    // info.response

    static final XmlObject TAX_REGISTRATION = XmlObject.of("DangKyThue", "A taxpayer's registration.",
            XmlMember.of("taxCode", "MaSoThue", TAX_CODE).required(),
            XmlMember.of("registeredName", "TenDangKy", SHORT_TEXT),
            XmlMember.of("status", "TrangThai", TAX_STATUS).required(),
            XmlMember.of("registeredOn", "NgayDangKy", DATE),
            XmlMember.of("taxOffice", "CoQuanThue", SHORT_TEXT),
            XmlMember.of("address", "DiaChi", ADDRESS));

    static final XmlObject E_INVOICE = XmlObject.of("HoaDon", "An e-invoice as the tax authority holds it.",
            XmlMember.of("symbol", "KyHieu", XmlLeaf.token("KyHieuHoaDon", "Ký hiệu hóa đơn, e.g. 1C26TAA.")
                    .pattern("[0-9A-Z]{1,10}")).required(),
            XmlMember.of("number", "SoHoaDon", XmlLeaf.token("SoHoaDon", "Số hóa đơn: 1 to 8 digits.")
                    .pattern("[0-9]{1,8}")).required(),
            XmlMember.of("issuedOn", "NgayLap", DATE).required(),
            XmlMember.of("sellerTaxCode", "MaSoThueNguoiBan", TAX_CODE).required(),
            XmlMember.of("buyerTaxCode", "MaSoThueNguoiMua", TAX_CODE),
            XmlMember.of("goods", "HangHoa", SHORT_TEXT),
            XmlMember.of("totalVnd", "TongTien", VND).required(),
            XmlMember.of("valid", "HopLe", BOOLEAN).required().doc("issued and not cancelled"));

    static final XmlObject CUSTOMS_DECLARATION = XmlObject.of("ToKhaiHaiQuan", "A customs declaration (tờ khai).",
            XmlMember.of("number", "SoToKhai", XmlLeaf.token("SoToKhai", "Số tờ khai: 12 digits.")
                    .pattern("[0-9]{12}")).required(),
            XmlMember.of("registeredOn", "NgayDangKy", DATE).required(),
            XmlMember.of("office", "CoQuanHaiQuan", SHORT_TEXT).required().doc("the customs office (chi cục)"),
            XmlMember.of("hsCode", "MaHS", XmlLeaf.token("MaHS", "HS code: 4 to 10 digits, without dots.")
                    .pattern("[0-9]{4,10}")),
            XmlMember.of("goods", "HangHoa", SHORT_TEXT),
            XmlMember.of("originCountry", "XuatXu", COUNTRY),
            XmlMember.of("valueVnd", "TriGia", VND));

    static final XmlObject ACCOUNT = XmlObject.of("TaiKhoanGiaoDich", "A bank account and its flows over the period.",
            XmlMember.of("bankBin", "MaNganHang", BANK_BIN).required(),
            XmlMember.of("number", "SoTaiKhoan", ACCOUNT_NUMBER).required(),
            XmlMember.of("inflowVnd", "TongTienVao", VND),
            XmlMember.of("outflowVnd", "TongTienRa", VND));

    static final XmlObject RESULT = XmlObject.of("KetQua", "One result: one subject and one ask.",
            XmlMember.of("ask", "NoiDungTraCuu", ASK).required(),
            XmlMember.of("subject", "DoiTuong", SUBJECT).required(),
            XmlMember.of("found", "TimThay", BOOLEAN).required(),
            XmlMember.of("taxRegistration", "DangKyThue", TAX_REGISTRATION),
            XmlMember.list("eInvoices", "HoaDon", E_INVOICE).items(0, 10000),
            XmlMember.list("customsDeclarations", "ToKhai", CUSTOMS_DECLARATION).items(0, 10000),
            XmlMember.of("sellerIdentity", "NguoiBan", SUBJECT),
            XmlMember.list("accounts", "TaiKhoan", ACCOUNT).items(0, 1000),
            XmlMember.of("note", "GhiChu", TEXT));

    static final XmlObject INFO_RESPONSE = XmlObject.of("KetQuaTraCuu",
            "The answer to a look-up request (the header's TraLoiThongDiep names it, as MaYeuCau does).",
            XmlMember.of("request", "MaYeuCau", UUID).required().doc("the MaThongDiep of the request"),
            XmlMember.of("status", "TrangThai", RESPONSE_STATUS).required(),
            XmlMember.of("reason", "LyDo", TEXT).doc("why partial, empty or refused"),
            XmlMember.list("results", "KetQua", RESULT).required().items(0, 100000));

    /** The profile in a namespace. */
    public static XmlProfile create(String namespace) {
        return new XmlProfile(CustomsXmlConnector.FORMAT, CustomsXmlConnector.NAMESPACE, namespace, XSD,
                CommonXml.HEADER, List.of(
                        new XmlMessage(MessageType.VIOLATION_NOTICE, VIOLATION_NOTICE),
                        new XmlMessage(MessageType.INFO_REQUEST, INFO_REQUEST),
                        new XmlMessage(MessageType.INFO_RESPONSE, INFO_RESPONSE)));
    }
}
