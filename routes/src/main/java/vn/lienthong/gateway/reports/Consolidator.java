package vn.lienthong.gateway.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.schemas.MessageType;
import vn.lienthong.schemas.ReportingConvention;
import vn.lienthong.schemas.ValidatorSettings;

/**
 * Consolidates the monthly {@code report.periodic} the journal accepted: read from the message rows
 * (a report counts when addressed to one of the consolidators; the latest of each sender for the
 * month counts), against who the settings expect (the registry's parties that may send reports).
 */
public final class Consolidator {

    private vn.lienthong.gateway.atrest.BodyCipher cipher = vn.lienthong.gateway.atrest.BodyCipher.CLEAR;

    /** Opens the sealed bodies it reads with {@code cipher} (bodies at rest); returns this. */
    public Consolidator withCipher(vn.lienthong.gateway.atrest.BodyCipher cipher) {
        this.cipher = java.util.Objects.requireNonNull(cipher, "cipher");
        return this;
    }

    private static final ZoneId VIETNAM = ValidatorSettings.VIETNAM;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final Supplier<Registry> registry;
    private final ReportSettings settings;
    private final InstantSource clock;

    /** A consolidator over the journal in {@code dataSource}, the registry in force and these settings. */
    public Consolidator(DataSource dataSource, Supplier<Registry> registry, ReportSettings settings,
            InstantSource clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The settings in force. */
    public ReportSettings settings() {
        return settings;
    }

    /** The parties expected to report: the registry's agencies the settings name that may send reports. */
    public List<Consolidation.Party> expected() {
        List<Consolidation.Party> parties = new ArrayList<>();
        for (Agency a : registry.get().agencies()) {
            if (settings.expects(a.code()) && a.maySend(MessageType.REPORT_PERIODIC)) {
                parties.add(party(a));
            }
        }
        return parties;
    }

    /** The consolidation of reporting month {@code month}. */
    public Consolidation month(YearMonth month) {
        Map<String, Row> current = latest(month);
        Map<String, Row> previous = latest(month.minusMonths(1));
        LocalDate due = settings.dueDate(month);
        Instant dueEnd = due.plusDays(1).atStartOfDay(VIETNAM).toInstant();
        boolean pastDue = !clock.instant().isBefore(dueEnd);
        List<Consolidation.Reported> reported = new ArrayList<>();
        List<Consolidation.Party> missing = new ArrayList<>();
        Figures totals = Figures.ZERO;
        Map<String, Figures> byCategory = new TreeMap<>();
        Map<String, Figures> byGoods = new TreeMap<>();
        for (Consolidation.Party p : expected()) {
            Row r = current.get(p.code());
            if (r == null) {
                missing.add(p);
                continue;
            }
            Figures f = Figures.of(r.payload.path("totals"));
            totals = totals.plus(f);
            add(byCategory, r.payload.path("byCategory"), "category");
            add(byGoods, r.payload.path("byGoods"), "goods");
            String province = p.province() != null ? p.province() : r.payload.path("province").path("code").asText(null);
            reported.add(new Consolidation.Reported(p.code(), p.name(), province, r.messageId, r.receivedAt,
                    r.receivedAt.toInstant().isBefore(dueEnd), r.count, f));
        }
        Figures previousTotals = Figures.ZERO;
        for (Consolidation.Party p : expected()) {
            Row r = previous.get(p.code());
            if (r != null) {
                previousTotals = previousTotals.plus(Figures.of(r.payload.path("totals")));
            }
        }
        List<Consolidation.Span> spans = settings.convention().monthSpans(month).stream()
                .map(s -> new Consolidation.Span(s.from(), s.to())).toList();
        return new Consolidation(key(month), month, spans, due, pastDue, reported, missing, totals, byCategory,
                byGoods, previousTotals, totals.changeFrom(previousTotals));
    }

    /** The period key of a reporting month, as reminders record it. */
    static String key(YearMonth month) {
        return "month:" + month;
    }

    private static void add(Map<String, Figures> into, JsonNode rows, String field) {
        if (rows.isArray()) {
            for (JsonNode row : rows) {
                into.merge(row.path(field).asText(), Figures.of(row.path("figures")), Figures::plus);
            }
        }
    }

    private static Consolidation.Party party(Agency a) {
        return new Consolidation.Party(a.code(), a.name().vi(), a.provinceCode().orElse(null));
    }

    private record Row(UUID messageId, OffsetDateTime receivedAt, JsonNode payload, int count) {
    }

    /** The latest monthly report of each sender for {@code month}, with how many it sent. */
    private Map<String, Row> latest(YearMonth month) {
        List<ReportingConvention.Span> spans = settings.convention().monthSpans(month);
        LocalDate earliest = spans.stream().map(ReportingConvention.Span::from).min(LocalDate::compareTo).orElseThrow();
        Map<String, Row> latest = new LinkedHashMap<>();
        // A report cannot be accepted before its period began (DATE_IN_FUTURE), hence the lower bound.
        String sql = "select message_id, sender, received_at, canonical from message where type = ?"
                + " and received_at >= ? and recipients && ? order by seq";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Array consolidators = c.createArrayOf("text", settings.consolidators().toArray());
            ps.setString(1, MessageType.REPORT_PERIODIC.wireName());
            ps.setObject(2, earliest.atStartOfDay(VIETNAM).toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC));
            ps.setArray(3, consolidators);
            ps.setFetchSize(500);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[] opened = cipher.openUnlessPurged(rs.getBytes(4));
                    if (opened == null) {
                        continue; // a body purged by retention
                    }
                    JsonNode payload = JSON.readTree(opened).path("payload");
                    if (!isMonth(payload, spans)) {
                        continue;
                    }
                    String sender = rs.getString(2);
                    Row before = latest.get(sender);
                    latest.put(sender, new Row(rs.getObject(1, UUID.class), rs.getObject(3, OffsetDateTime.class),
                            payload, before == null ? 1 : before.count + 1));
                }
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("the periodic reports of " + month + " could not be read", e);
        }
        return latest;
    }

    private static boolean isMonth(JsonNode payload, List<ReportingConvention.Span> spans) {
        String kind = payload.path("periodKind").asText("month");
        if (!kind.equals("month")) {
            return false;
        }
        String from = payload.path("period").path("from").asText();
        String to = payload.path("period").path("to").asText();
        return spans.stream().anyMatch(s -> s.from().toString().equals(from) && s.to().toString().equals(to));
    }
}
