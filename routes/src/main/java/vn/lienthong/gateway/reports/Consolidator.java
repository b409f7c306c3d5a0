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
import vn.lienthong.schemas.v1.PeriodKind;
import vn.lienthong.schemas.ReportingConvention;
import vn.lienthong.schemas.ValidatorSettings;

/**
 * Consolidates the {@code report.periodic} the journal accepted, by month, quarter, half-year or year: read from the message rows
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
        return period(PeriodKind.MONTH, month);
    }

    /**
     * The consolidation of the reports of one kind (month, quarter, half-year, year) whose period
     * ends with reporting month {@code end}: a quarter ends in March, June, September or December, a
     * half-year in June or December, a year in December (as the validation has it). Due by the due
     * day after its last month; compared with the period of the same kind before it.
     */
    public Consolidation period(PeriodKind kind, YearMonth end) {
        int months = months(kind);
        if (end.getMonthValue() % months != 0) {
            throw new IllegalArgumentException("a " + kind.wireName() + " ends in a month divisible by " + months
                    + ", not " + end);
        }
        Map<String, Row> current = latest(kind, end);
        YearMonth before = end.minusMonths(months);
        Map<String, Row> previous = latest(kind, before);
        LocalDate due = settings.dueDate(end);
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
        List<Consolidation.Span> spans = spans(kind, end).stream()
                .map(s -> new Consolidation.Span(s.from(), s.to())).toList();
        return new Consolidation(key(kind, end), kind.wireName(), end, spans, due, pastDue, reported, missing, totals,
                byCategory, byGoods, key(kind, before), previousTotals, totals.changeFrom(previousTotals));
    }

    /** How many reporting months a period of this kind covers (ad hoc is not consolidated). */
    static int months(PeriodKind kind) {
        return switch (kind) {
            case MONTH -> 1;
            case QUARTER -> 3;
            case HALF_YEAR -> 6;
            case YEAR -> 12;
            case AD_HOC -> throw new IllegalArgumentException("ad-hoc reports are not consolidated: they cover no"
                    + " common period");
        };
    }

    /**
     * A period's key: {@code month:2026-10}, {@code quarter:2026-Q4}, {@code half-year:2026-H2},
     * {@code year:2026}.
     */
    static String key(PeriodKind kind, YearMonth end) {
        return switch (kind) {
            case MONTH -> key(end);
            case QUARTER -> "quarter:" + end.getYear() + "-Q" + end.getMonthValue() / 3;
            case HALF_YEAR -> "half-year:" + end.getYear() + "-H" + end.getMonthValue() / 6;
            case YEAR -> "year:" + end.getYear();
            case AD_HOC -> throw new IllegalArgumentException("ad-hoc reports have no period key");
        };
    }

    private List<ReportingConvention.Span> spans(PeriodKind kind, YearMonth end) {
        return kind == PeriodKind.MONTH ? settings.convention().monthSpans(end)
                : settings.convention().spans(end.minusMonths(months(kind) - 1L), end);
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

    /** The latest report of this kind of each sender for the period ending {@code end}, with how many it sent. */
    private Map<String, Row> latest(PeriodKind kind, YearMonth end) {
        List<ReportingConvention.Span> spans = spans(kind, end);
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
                    if (!isPeriod(payload, kind, spans)) {
                        continue;
                    }
                    String sender = rs.getString(2);
                    Row before = latest.get(sender);
                    latest.put(sender, new Row(rs.getObject(1, UUID.class), rs.getObject(3, OffsetDateTime.class),
                            payload, before == null ? 1 : before.count + 1));
                }
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("the periodic reports of " + key(kind, end) + " could not be read", e);
        }
        return latest;
    }

    private static boolean isPeriod(JsonNode payload, PeriodKind wanted, List<ReportingConvention.Span> spans) {
        String kind = payload.path("periodKind").asText("month");
        if (!kind.equals(wanted.wireName())) {
            return false;
        }
        String from = payload.path("period").path("from").asText();
        String to = payload.path("period").path("to").asText();
        return spans.stream().anyMatch(s -> s.from().toString().equals(from) && s.to().toString().equals(to));
    }
}
