package vn.lienthong.connectors.sbv;

import static vn.lienthong.connectors.xml.CommonXml.ACCOUNT_NUMBER;
import static vn.lienthong.connectors.xml.CommonXml.BANK_BIN;
import static vn.lienthong.connectors.xml.CommonXml.BIRTH_YEAR;
import static vn.lienthong.connectors.xml.CommonXml.CCCD;
import static vn.lienthong.connectors.xml.CommonXml.DATE;
import static vn.lienthong.connectors.xml.CommonXml.DATE_TIME;
import static vn.lienthong.connectors.xml.CommonXml.DOCUMENT_NUMBER;
import static vn.lienthong.connectors.xml.CommonXml.ISSUER;
import static vn.lienthong.connectors.xml.CommonXml.SHORT_TEXT;
import static vn.lienthong.connectors.xml.CommonXml.SIGNER;
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
 * The mapping tables of sbv-freeze-xml: the bank instruction to freeze, delay or release
 * ({@code freeze.request}) and the bank's execution report ({@code freeze.report}), with the
 * contents Decree 116/2013 art. 23 (as amended by Decree 87/2019) asks of a decision.
 */
public final class SbvFreezeXmlProfile {

    /** Where the XSD is on the classpath. */
    public static final String XSD = "formats/sbv-freeze-xml/sbv-freeze-xml.xsd";

    private SbvFreezeXmlProfile() {
    }

    /** FREEZE, DELAY, RELEASE. */
    static final XmlLeaf MEASURE = XmlLeaf.code("BienPhap", "The measure the bank is to apply.", CodeList.builder()
            .code("FREEZE", "PhongToa", "phong tỏa tài khoản (CPC 2015 art. 129; Decree 296/2025; Decree 52/2024 art. 11)")
            .code("DELAY", "TamDungGiaoDich", "trì hoãn / tạm dừng giao dịch, at most 3 working days (AML Law 2022 art. 44)")
            .code("RELEASE", "GiaiToa", "giải tỏa: lift an earlier freeze")
            .build());

    /** The legal grounds of a decision. */
    static final XmlLeaf LEGAL_GROUND = XmlLeaf.code("MaCanCuPhapLy", "The legal ground of the decision; which"
            + " grounds fit which measure is checked by the canonical validator.", CodeList.builder()
                    .code("CPC_2015_ART_129", "BLTTHS2015Dieu129",
                            "Bộ luật Tố tụng hình sự 2015, Điều 129: phong tỏa tài khoản (FREEZE)")
                    .code("AML_2022_ART_44", "LuatPCRT2022Dieu44",
                            "Luật Phòng, chống rửa tiền 2022, Điều 44: trì hoãn giao dịch (DELAY)")
                    .code("DECREE_296_2025", "ND296_2025",
                            "Nghị định 296/2025/NĐ-CP: cưỡng chế thi hành quyết định xử phạt (FREEZE)")
                    .code("DECREE_52_2024_ART_11", "ND52_2024Dieu11",
                            "Nghị định 52/2024/NĐ-CP, Điều 11: phong tỏa tài khoản thanh toán (FREEZE)")
                    .code("CPC_2015_ART_130", "BLTTHS2015Dieu130",
                            "Bộ luật Tố tụng hình sự 2015, Điều 130: hủy bỏ phong tỏa (RELEASE)")
                    .code("OTHER", "Khac", "khác: NoiDung states it")
                    .build());

    /** The outcome reported by the bank. */
    static final XmlLeaf REPORT_STATUS = XmlLeaf.code("TrangThaiThucHien", "What the bank did.", CodeList.builder()
            .code("EXECUTED", "DaThucHien", "đã thực hiện đầy đủ")
            .code("PARTIALLY_EXECUTED", "ThucHienMotPhan", "thực hiện một phần (e.g. the balance was lower)")
            .code("REJECTED", "TuChoi", "từ chối thực hiện")
            .code("RELEASED", "DaGiaiToa", "đã giải tỏa")
            .code("EXPIRED", "HetHieuLuc", "hết hiệu lực (a delay or freeze ran out)")
            .build());

    static final XmlObject LEGAL_GROUND_OBJECT = XmlObject.of("CanCuPhapLy", "The legal ground: a code, and text"
            + " (required with Khac; checked by the canonical validator).",
            XmlMember.of("code", "Ma", LEGAL_GROUND).required(),
            XmlMember.of("text", "NoiDung", TEXT));

    static final XmlObject DECISION = XmlObject.of("QuyetDinh", "The written decision or request the bank acts on"
            + " (required for PhongToa and TamDungGiaoDich; checked by the canonical validator).",
            XmlMember.of("number", "SoHieu", DOCUMENT_NUMBER).required(),
            XmlMember.of("date", "NgayBanHanh", DATE).required(),
            XmlMember.of("issuer", "CoQuanBanHanh", ISSUER).required(),
            XmlMember.of("signer", "NguoiKy", SIGNER).required(),
            XmlMember.of("legalGround", "CanCuPhapLy", LEGAL_GROUND_OBJECT).required());

    static final XmlObject BANK = XmlObject.of("NganHang", "The bank that executes.",
            XmlMember.of("bin", "MaNganHang", BANK_BIN).required(),
            XmlMember.of("name", "TenNganHang", SHORT_TEXT),
            XmlMember.of("branch", "ChiNhanh", SHORT_TEXT));

    static final XmlObject HOLDER = XmlObject.of("ChuTaiKhoan", "The account holder: SoDinhDanh and/or MaSoThue"
            + " (at least one; checked by the canonical validator).",
            XmlMember.of("fullName", "HoTen", SHORT_TEXT).required(),
            XmlMember.of("cccd", "SoDinhDanh", CCCD),
            XmlMember.of("taxCode", "MaSoThue", TAX_CODE),
            XmlMember.of("birthYear", "NamSinh", BIRTH_YEAR));

    static final XmlObject ACCOUNT = XmlObject.of("TaiKhoan", "The account concerned.",
            XmlMember.of("number", "SoTaiKhoan", ACCOUNT_NUMBER).required(),
            XmlMember.of("holder", "ChuTaiKhoan", HOLDER).required());

    static final XmlObject TRANSACTION = XmlObject.of("GiaoDich", "The transaction delayed.",
            XmlMember.of("reference", "MaGiaoDich", SHORT_TEXT).required().doc("the bank's transaction reference"),
            XmlMember.of("counterpartyName", "TenBenDoiUng", SHORT_TEXT),
            XmlMember.of("counterpartyAccount", "TaiKhoanDoiUng", ACCOUNT_NUMBER));

    static final XmlObject FREEZE_REQUEST = XmlObject.of("YeuCauPhongToa",
            "An instruction to a bank, through the State Bank, to freeze an account, delay a transaction or release"
                    + " a freeze, with the contents of Decree 116/2013 art. 23 (as amended by Decree 87/2019).",
            XmlMember.of("measure", "BienPhap", MEASURE).required(),
            XmlMember.of("decision", "QuyetDinh", DECISION),
            XmlMember.of("caseRef", "MaVuViec", SHORT_TEXT),
            XmlMember.of("bank", "NganHang", BANK).required(),
            XmlMember.of("account", "TaiKhoan", ACCOUNT).required(),
            XmlMember.of("amountVnd", "SoTien", XmlLeaf.integer("SoTienYeuCau",
                    "The amount to freeze or the amount of the transaction delayed, in whole đồng.")
                    .range("1", "1000000000000000")).doc("required for PhongToa"),
            XmlMember.of("start", "ThoiDiemBatDau", DATE_TIME).doc("required for PhongToa and TamDungGiaoDich"),
            XmlMember.of("end", "ThoiDiemKetThuc", DATE_TIME)
                    .doc("required for TamDungGiaoDich (at most 3 working days); a freeze without it lasts until lifted"),
            XmlMember.of("transaction", "GiaoDich", TRANSACTION),
            XmlMember.of("releases", "YeuCauDuocGiaiToa", UUID)
                    .doc("GiaiToa: the MaThongDiep of the freeze request lifted"),
            XmlMember.of("reason", "LyDo", TEXT).required());

    static final XmlObject FREEZE_REPORT = XmlObject.of("BaoCaoThucHien",
            "The bank's report, through the State Bank, of how a request was executed (the header's TraLoiThongDiep"
                    + " names it, as MaYeuCau does).",
            XmlMember.of("request", "MaYeuCau", UUID).required().doc("the MaThongDiep of the request"),
            XmlMember.of("status", "TrangThai", REPORT_STATUS).required(),
            XmlMember.of("frozenAmountVnd", "SoTienDaPhongToa", VND)
                    .doc("required for DaThucHien and ThucHienMotPhan"),
            XmlMember.of("bankReference", "SoThamChieuNganHang", SHORT_TEXT)
                    .doc("required for DaThucHien and ThucHienMotPhan"),
            XmlMember.of("executedAt", "ThoiDiemThucHien", DATE_TIME).doc("required for DaThucHien and ThucHienMotPhan"),
            XmlMember.of("reportedAt", "ThoiDiemBaoCao", DATE_TIME).required(),
            XmlMember.of("reason", "LyDo", TEXT).doc("required for ThucHienMotPhan and TuChoi"));

    /** The profile in a namespace. */
    public static XmlProfile create(String namespace) {
        return new XmlProfile(SbvFreezeXmlConnector.FORMAT, SbvFreezeXmlConnector.NAMESPACE, namespace, XSD,
                CommonXml.HEADER, List.of(
                        new XmlMessage(MessageType.FREEZE_REQUEST, FREEZE_REQUEST),
                        new XmlMessage(MessageType.FREEZE_REPORT, FREEZE_REPORT)));
    }
}
