package vn.lienthong.gateway.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
import vn.lienthong.schemas.v1.DeadlineOverdue;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.v1.Period;
import vn.lienthong.schemas.v1.Priority;
import vn.lienthong.schemas.validation.CanonicalJson;

/**
 * The reminder sweep: once the due day of a reporting month is over, each expected party
 * that has not reported gets a {@code deadline.overdue} of kind {@code report} from the gateway,
 * recorded by the journal like the workflows' notices (so its channels deliver it), in the same
 * transaction as the {@code report_reminder} row whose primary key makes it once per period and
 * party — across restarts and instances (the sweep holds a mutex of its own,
 * {@link vn.lienthong.gateway.audit.AuditLog.Mutex#REPORT_REMINDERS}, as the deadline sweep does; its
 * reminders are recorded as one batch and its audit entries appended last, so it never holds the
 * audit lock while it writes rows: the rule in {@link vn.lienthong.gateway.audit.AuditLog}).
 * Months already past due when the gateway first swept are reminded only within {@code catch-up}.
 */
public final class ReportReminders {

    private static final Logger LOG = LoggerFactory.getLogger(ReportReminders.class);
    /** The sender of what the gateway says itself. */
    public static final String GATEWAY = AuditLog.GATEWAY;
    /** How many reporting months back a sweep looks at most: its work stays bounded however long the gateway ran. */
    public static final int LOOK_BACK = 12;

    private final JdbcTx tx;
    private final Journal journal;
    private final Supplier<Registry> registry;
    private final Consolidator consolidator;
    private final UnaryOperator<byte[]> signer;
    private final InstantSource clock;
    private final AuditLog audit = new AuditLog();

    /**
     * @param journal records the reminders; it must run in (join) the transactions of {@code transactions}
     * @param signer signs a reminder's canonical JSON, kept as its receipt in the journal
     */
    public ReportReminders(DataSource dataSource, PlatformTransactionManager transactions, Journal journal,
            Supplier<Registry> registry, Consolidator consolidator, UnaryOperator<byte[]> signer, InstantSource clock) {
        this.tx = new JdbcTx(dataSource, transactions);
        this.journal = Objects.requireNonNull(journal, "journal");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.consolidator = Objects.requireNonNull(consolidator, "consolidator");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The latest reporting month whose due day is over on {@code today}. */
    public YearMonth latestPastDue(LocalDate today) {
        ReportSettings s = consolidator.settings();
        YearMonth month = YearMonth.from(today).minusMonths(s.dueMonthsAfter());
        return s.dueDate(month).isBefore(today) ? month : month.minusMonths(1);
    }

    /**
     * One sweep: reminds every party missing from each month past its due day that is not yet
     * reminded (see {@link #dueMonths}); returns how many reminders it recorded.
     */
    public int sweep() {
        Instant now = clock.instant();
        int sent = 0;
        for (YearMonth month : dueMonths(now, firstSweep(now))) {
            sent += remind(month, now);
        }
        return sent;
    }

    /**
     * The reporting months a sweep at {@code now} reminds for, oldest first: those past their due day
     * and not before {@code remind-from}, at most {@link #LOOK_BACK} back; of those already past due at
     * the gateway's first sweep, only the latest {@code catch-up}.
     */
    public List<YearMonth> dueMonths(Instant now, Instant firstSweep) {
        ReportSettings s = consolidator.settings();
        List<YearMonth> months = new ArrayList<>();
        int caughtUp = 0;
        YearMonth month = latestPastDue(now.atZone(ValidatorSettings.VIETNAM).toLocalDate());
        for (int i = 0; i < LOOK_BACK && s.remindsFor(month); i++, month = month.minusMonths(1)) {
            Instant dueEnd = s.dueDate(month).plusDays(1).atStartOfDay(ValidatorSettings.VIETNAM).toInstant();
            if (!dueEnd.isAfter(firstSweep)) {
                if (caughtUp >= s.catchUp()) {
                    break;
                }
                caughtUp++;
            }
            months.add(0, month);
        }
        return months;
    }

    /** When the gateway first swept (this one, now, if none did before): kept in {@code report_reminder_start}. */
    private Instant firstSweep(Instant now) {
        return tx.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into report_reminder_start (id, at) values (1, ?)"
                    + " on conflict do nothing")) {
                ps.setObject(1, now.atOffset(ZoneOffset.UTC));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("select at from report_reminder_start where id = 1");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1, OffsetDateTime.class).toInstant();
            }
        });
    }

    /** Reminds every party missing from {@code month} and not reminded of it before; returns how many. */
    private int remind(YearMonth month, Instant now) {
        Consolidation consolidation = consolidator.month(month);
        if (consolidation.missing().isEmpty()) {
            return 0;
        }
        return tx.write(c -> {
            AuditLog.mutex(c, AuditLog.Mutex.REPORT_REMINDERS);
            int sent = 0;
            List<AuditEntry> entries = new ArrayList<>();
            List<JournalEntry> reminders = new ArrayList<>();
            for (Consolidation.Party party : consolidation.missing()) {
                UUID reminderId = UUID.randomUUID();
                try (PreparedStatement ps = c.prepareStatement("insert into report_reminder (period, party,"
                        + " message_id, at) values (?, ?, ?, ?) on conflict do nothing")) {
                    ps.setString(1, consolidation.period());
                    ps.setString(2, party.code());
                    ps.setObject(3, reminderId);
                    ps.setObject(4, now.atOffset(ZoneOffset.UTC));
                    if (ps.executeUpdate() == 0) {
                        continue; // reminded before
                    }
                }
                sent++;
                Registry r = registry.get();
                String requester = consolidator.settings().consolidators().get(0);
                boolean receives = r.mayReceive(party.code(), MessageType.DEADLINE_OVERDUE);
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("period", consolidation.period());
                detail.put("dueDate", consolidation.dueDate().toString());
                detail.put("reminderMessageId", reminderId);
                detail.put("sent", receives);
                entries.add(AuditEntry.of(GATEWAY, AuditAction.REPORT_REMINDED, party.code(), detail));
                if (!receives) {
                    LOG.warn("{} has not reported for {}; it receives no deadline.overdue", party.code(),
                            consolidation.period());
                    continue;
                }
                // The calendar month where the convention allows it (the first span), else the Decree 09 one.
                Consolidation.Span span = consolidation.spans().get(0);
                DeadlineOverdue payload = new DeadlineOverdue(caseId(consolidation.period(), party.code()),
                        DeadlineOverdue.Kind.REPORT, null, requester, party.code(), DeadlineOverdue.Deadline.DUE,
                        consolidation.dueDate().plusDays(1).atStartOfDay(ValidatorSettings.VIETNAM).toOffsetDateTime(),
                        "NOT_REPORTED", null, null, new Period(span.from(), span.to()));
                Envelope reminder = new Envelope(reminderId, "1.0", GATEWAY, List.of(party.code()),
                        "report:" + consolidation.period() + ":" + party.code(), null, now.atOffset(ZoneOffset.UTC),
                        Priority.NORMAL, Classification.INTERNAL, null, null, payload, null);
                byte[] canonical = canonical(reminder);
                Agency agency = r.agency(party.code()).orElseThrow();
                Channel channel = agency.deliveryChannel(MessageType.DEADLINE_OVERDUE);
                List<PlannedDelivery> deliveries = new ArrayList<>(List.of(new PlannedDelivery(UUID.randomUUID(),
                        party.code(), channel.kind(), channel.deliveryAddress(), channel.format().name(), null)));
                reminders.add(new JournalEntry.Accepted(reminder, canonical, canonical, sha256(canonical),
                        new Source(ChannelKind.REST, "gateway/reports", GATEWAY), now, deliveries,
                        signer.apply(canonical)));
                LOG.info("{} has not reported for {} (due {}): reminder {}", party.code(), consolidation.period(),
                        consolidation.dueDate(), reminderId);
            }
            if (!reminders.isEmpty()) {
                journal.record(reminders);
            }
            audit.append(c, entries);
            return sent;
        });
    }

    /** The same id for the same period and party: the "case" a reminder is about. */
    static UUID caseId(String period, String party) {
        return UUID.nameUUIDFromBytes(("lienthong report " + period + " " + party).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] canonical(Envelope message) {
        try {
            return CanonicalJson.mapper().writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a reminder could not be written", e);
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
