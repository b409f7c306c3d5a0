package vn.lienthong.gateway.reports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import vn.lienthong.schemas.validation.CanonicalJson;

/** Periodic reports for the report tests (the flow, the agencies' access, the console's charts). */
public final class ReportSamples {

    private static final ZoneOffset VN = ZoneOffset.ofHours(7);
    private static final DateTimeFormatter RFC_3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    private ReportSamples() {
    }

    /** A monthly report (calendar month) to BCD389 with one category (COUNTERFEIT) and one kind of goods. */
    public static ObjectNode report(String sender, YearMonth month, long cases, long fines, String goods,
            long goodsCases) {
        String example = "lienthong/examples/v1/report.periodic/valid-province-october.json";
        try (InputStream in = ReportSamples.class.getClassLoader().getResourceAsStream(example)) {
            ObjectNode r = (ObjectNode) CanonicalJson.mapper().readTree(in);
            r.put("messageId", UUID.randomUUID().toString());
            r.put("sender", sender);
            r.putArray("recipients").add("BCD389");
            r.put("correlationId", "BC389-" + sender + "-" + month);
            r.put("createdAt", OffsetDateTime.now(VN).format(RFC_3339));
            ObjectNode p = (ObjectNode) r.get("payload");
            p.with("period").put("from", month.atDay(1).toString()).put("to", month.atEndOfMonth().toString());
            p.with("province").put("code", sender.substring(5));
            ObjectNode totals = figures(cases, fines);
            p.set("totals", totals);
            ArrayNode byCategory = p.putArray("byCategory");
            byCategory.addObject().put("category", "COUNTERFEIT").set("figures", figures(cases, fines));
            p.putArray("byGoods").addObject().put("goods", goods).set("figures", figures(goodsCases, 0));
            p.remove("notes");
            return r;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The same over a longer period ({@code quarter}, {@code half-year}, {@code year}) of calendar months. */
    public static ObjectNode report(String sender, String periodKind, YearMonth first, YearMonth last, long cases,
            long fines, String goods, long goodsCases) {
        ObjectNode r = report(sender, last, cases, fines, goods, goodsCases);
        r.put("correlationId", "BC389-" + sender + "-" + periodKind + "-" + last);
        ObjectNode p = (ObjectNode) r.get("payload");
        p.put("periodKind", periodKind);
        p.with("period").put("from", first.atDay(1).toString());
        return r;
    }

    private static ObjectNode figures(long cases, long fines) {
        return CanonicalJson.mapper().createObjectNode().put("casesDetected", cases).put("casesHandled", cases)
                .put("casesTransferredToPolice", 0).put("finesVnd", fines).put("goodsValueVnd", fines * 2);
    }
}
