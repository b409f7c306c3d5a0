package vn.lienthong.gateway.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import vn.lienthong.gateway.audit.AuditAction;
import vn.lienthong.gateway.audit.AuditEntry;
import vn.lienthong.gateway.audit.AuditLog;
import vn.lienthong.gateway.journal.JdbcTx;
import vn.lienthong.gateway.journal.Journal;
import vn.lienthong.gateway.journal.JournalEntry;
import vn.lienthong.gateway.message.PlannedDelivery;
import vn.lienthong.gateway.message.Source;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Channel;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.schemas.MessageType;
import vn.lienthong.schemas.ValidatorSettings;
import vn.lienthong.schemas.v1.Classification;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.v1.GoodsCategory;
import vn.lienthong.schemas.v1.Period;
import vn.lienthong.schemas.v1.PeriodKind;
import vn.lienthong.schemas.v1.PeriodicReport;
import vn.lienthong.schemas.v1.Priority;
import vn.lienthong.schemas.validation.CanonicalJson;

/**
 * The weekly early-warning digest: once an ISO week is over, the gateway sends each recipient the
 * settings name (that the registry lets receive {@code report.periodic}) a {@code report.periodic} of
 * kind {@code ad-hoc} over that week — notices in total and by goods, and in its notes the hotspots
 * and the sites named most — recorded by the journal like the reminders, once per week and recipient
 * ({@code warning_digest}), across restarts and instances. No subject and no identifier of a person.
 */
public final class WarningDigests {

    private static final Logger LOG = LoggerFactory.getLogger(WarningDigests.class);
    private static final int NOTES_MAX = 4000;
    private static final int SITES_NAMED = 10;

    private final JdbcTx tx;
    private final Journal journal;
    private final Supplier<Registry> registry;
    private final EarlyWarning warning;
    private final UnaryOperator<byte[]> signer;
    private final InstantSource clock;
    private final AuditLog audit = new AuditLog();

    /**
     * @param journal records the digests; it must run in (join) the transactions of {@code transactions}
     * @param signer signs a digest's canonical JSON, kept as its receipt in the journal
     */
    public WarningDigests(DataSource dataSource, PlatformTransactionManager transactions, Journal journal,
            Supplier<Registry> registry, EarlyWarning warning, UnaryOperator<byte[]> signer, InstantSource clock) {
        this.tx = new JdbcTx(dataSource, transactions);
        this.journal = Objects.requireNonNull(journal, "journal");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.warning = Objects.requireNonNull(warning, "warning");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** One sweep: the digest of last week to each recipient not sent it yet; returns how many were sent. */
    public int sweep() {
        Instant now = clock.instant();
        LocalDate lastWeek = now.atZone(ValidatorSettings.VIETNAM).toLocalDate().minusWeeks(1);
        EarlyWarning.View view = warning.view(lastWeek);
        Registry r = registry.get();
        List<String> recipients = new ArrayList<>();
        for (String code : warning.settings().recipients()) {
            if (r.mayReceive(code, MessageType.REPORT_PERIODIC)) {
                recipients.add(code);
            } else {
                LOG.warn("early-warning recipient {} does not receive report.periodic in the registry", code);
            }
        }
        if (recipients.isEmpty()) {
            return 0;
        }
        PeriodicReport payload = payload(view);
        return tx.write(c -> {
            // Once per week and recipient across instances; the audit lock comes last, after every row.
            AuditLog.mutex(c, AuditLog.Mutex.WARNING_DIGESTS);
            int sent = 0;
            List<AuditEntry> entries = new ArrayList<>();
            List<JournalEntry> digests = new ArrayList<>();
            for (String code : recipients) {
                UUID id = UUID.randomUUID();
                try (PreparedStatement ps = c.prepareStatement("insert into warning_digest (week, recipient,"
                        + " message_id, at) values (?, ?, ?, ?) on conflict do nothing")) {
                    ps.setString(1, view.week());
                    ps.setString(2, code);
                    ps.setObject(3, id);
                    ps.setObject(4, now.atOffset(ZoneOffset.UTC));
                    if (ps.executeUpdate() == 0) {
                        continue;
                    }
                }
                Envelope digest = new Envelope(id, "1.0", AuditLog.GATEWAY, List.of(code),
                        "warning:" + view.week(), null, now.atOffset(ZoneOffset.UTC), Priority.NORMAL,
                        Classification.INTERNAL, null, null, payload, null);
                byte[] canonical = canonical(digest);
                Agency agency = r.agency(code).orElseThrow();
                Channel channel = agency.deliveryChannel(MessageType.REPORT_PERIODIC);
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("week", view.week());
                detail.put("digestMessageId", id);
                detail.put("hotspots", view.hotspots().size());
                entries.add(AuditEntry.of(AuditLog.GATEWAY, AuditAction.WARNING_SENT, code, detail));
                digests.add(new JournalEntry.Accepted(digest, canonical, canonical, sha256(canonical),
                        new Source(ChannelKind.REST, "gateway/reports", AuditLog.GATEWAY), now,
                        List.of(new PlannedDelivery(UUID.randomUUID(), code, channel.kind(), channel.deliveryAddress(),
                                channel.format().name(), null)), signer.apply(canonical)));
                LOG.info("early warning of {} ({} hotspots) sent to {}: {}", view.week(), view.hotspots().size(), code, id);
                sent++;
            }
            if (!digests.isEmpty()) {
                journal.record(digests);
            }
            audit.append(c, entries);
            return sent;
        });
    }

    /** The digest's payload: the week's notices by goods, the hotspots and the sites named most in the notes. */
    static PeriodicReport payload(EarlyWarning.View view) {
        Map<String, Long> byGoods = new TreeMap<>();
        for (EarlyWarning.Cell cell : view.cells()) {
            if (cell.week().equals(view.week())) {
                byGoods.merge(cell.goods(), (long) cell.count(), Long::sum);
            }
        }
        long notices = view.notices();
        List<PeriodicReport.GoodsFigures> goods = new ArrayList<>();
        byGoods.forEach((g, n) -> {
            if (!g.equals(EarlyWarning.NONE)) {
                goods.add(new PeriodicReport.GoodsFigures(GoodsCategory.valueOf(g), figures(n)));
            }
        });
        StringBuilder notes = new StringBuilder("Cảnh báo sớm của lienthong, tuần " + view.week() + " (" + view.from()
                + " – " + view.to() + "): " + notices + " thông báo vi phạm được tiếp nhận. ");
        if (view.hotspots().isEmpty()) {
            notes.append("Không có điểm nóng. ");
        } else {
            notes.append("Điểm nóng (tỉnh × nhóm hàng × sàn: tuần này / tuần trước): ");
            for (EarlyWarning.Hotspot h : view.hotspots()) {
                notes.append(h.province()).append(" × ").append(h.goods()).append(" × ").append(h.platform())
                        .append(": ").append(h.count()).append(" / ").append(h.previous()).append("; ");
            }
        }
        List<EarlyWarning.Site> sites = view.sites();
        if (!sites.isEmpty()) {
            notes.append("Trang, gian hàng, tin đăng được nêu nhiều nhất: ");
            for (EarlyWarning.Site s : sites.subList(0, Math.min(SITES_NAMED, sites.size()))) {
                notes.append(s.key()).append(" (").append(s.mentions()).append(" lần); ");
            }
        }
        notes.append("Chi tiết: /api/v1/admin/reports/warning?week=").append(view.week()).append('.');
        String text = notes.length() > NOTES_MAX ? notes.substring(0, NOTES_MAX - 1) + "…" : notes.toString();
        return new PeriodicReport(new Period(view.from(), view.to()), PeriodKind.AD_HOC, null, figures(notices),
                null, goods.isEmpty() ? null : goods, text);
    }

    private static PeriodicReport.Figures figures(long notices) {
        return new PeriodicReport.Figures(notices, 0L, 0L, 0L, 0L, null);
    }

    private static byte[] canonical(Envelope message) {
        try {
            return CanonicalJson.mapper().writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an early-warning digest could not be written", e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
