package vn.lienthong.gateway.attachments;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.transaction.PlatformTransactionManager;
import vn.lienthong.gateway.audit.AuditAction;
import vn.lienthong.gateway.audit.AuditEntry;
import vn.lienthong.gateway.audit.AuditLog;
import vn.lienthong.gateway.journal.JdbcTx;
import vn.lienthong.schemas.validation.CanonicalJson;

/**
 * What the database knows of attachments: who uploaded which blob (table
 * {@code attachment_upload}), which message names which attachment (the message's canonical
 * {@code attachments}, read from the journal), and the audit of uploads and downloads.
 */
public final class JdbcAttachments {

    private vn.lienthong.gateway.atrest.BodyCipher cipher = vn.lienthong.gateway.atrest.BodyCipher.CLEAR;

    /** Opens the sealed bodies it reads with {@code cipher} (bodies at rest); returns this. */
    public JdbcAttachments withCipher(vn.lienthong.gateway.atrest.BodyCipher cipher) {
        this.cipher = java.util.Objects.requireNonNull(cipher, "cipher");
        return this;
    }

    /** An attachment a message names, with what decides who may read it. */
    public record MessageAttachment(UUID messageId, String sender, List<String> recipients, String classification,
            String name, String mediaType, long size, String sha256) {
    }

    /** How a download was allowed, for the audit. */
    public enum Via {
        /** The agency's own token: the message's sender or one of its recipients. */
        TOKEN,
        /** A signed download link the gateway delivered to a recipient. */
        LINK,
        /** A person (auditor, operator) through the operator API. */
        OPERATOR
    }

    private final JdbcTx tx;
    private final AuditLog audit = new AuditLog();

    /** Attachments' rows in {@code dataSource}, in transactions of {@code transactions}. */
    public JdbcAttachments(DataSource dataSource, PlatformTransactionManager transactions) {
        this.tx = new JdbcTx(dataSource, transactions);
    }

    /**
     * Records that {@code agency} uploaded the blob (again: the time moves), with the data key that
     * seals it (every agency's row of the blob: the store keeps it once), audited.
     */
    public void uploaded(String agency, AttachmentStore.Stored blob) {
        tx.write(connection -> {
            try (PreparedStatement ps = connection.prepareStatement(
                    "insert into attachment_upload (sha256, agency, size, uploaded_at, data_key_id) values (?, ?, ?, now(), ?)"
                            + " on conflict (sha256, agency) do update set uploaded_at = excluded.uploaded_at,"
                            + " data_key_id = excluded.data_key_id")) {
                ps.setString(1, blob.sha256());
                ps.setString(2, agency);
                ps.setLong(3, blob.size());
                ps.setString(4, blob.keyId());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = connection.prepareStatement(
                    "update attachment_upload set data_key_id = ? where sha256 = ? and data_key_id is distinct from ?")) {
                ps.setString(1, blob.keyId());
                ps.setString(2, blob.sha256());
                ps.setString(3, blob.keyId());
                ps.executeUpdate();
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("sha256", blob.sha256());
            detail.put("size", blob.size());
            audit.append(connection, List.of(AuditEntry.of(agency, AuditAction.ATTACHMENT_STORED,
                    "att:" + blob.sha256(), detail)));
            return null;
        });
    }

    /**
     * Forgets the uploads of blobs sealed under data keys that are gone (a retention purge shredded
     * them: the blobs can never be read again) and returns their SHA-256s, for the store to delete.
     * It looks for every such row, not only the last purge's, so a run whose deletions failed is
     * made up by the next.
     */
    public List<String> shredded() {
        return tx.write(connection -> {
            List<String> gone = new java.util.ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement("delete from attachment_upload u"
                    + " where u.data_key_id is not null and not exists (select 1 from data_key k where k.id = u.data_key_id)"
                    + " returning sha256")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (!gone.contains(rs.getString(1))) {
                            gone.add(rs.getString(1));
                        }
                    }
                }
            }
            return gone;
        });
    }

    /** Whether {@code agency} uploaded the blob {@code sha256}. */
    public boolean uploadedBy(String agency, String sha256) {
        return tx.read(connection -> {
            try (PreparedStatement ps = connection.prepareStatement(
                    "select 1 from attachment_upload where sha256 = ? and agency = ?")) {
                ps.setString(1, sha256);
                ps.setString(2, agency);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /**
     * The attachment {@code sha256} of message {@code messageId} when {@code agency} is its sender or
     * one of its recipients (empty otherwise: the caller cannot tell whether the message exists).
     */
    public Optional<MessageAttachment> forParty(UUID messageId, String sha256, String agency) {
        return find(messageId, sha256).stream()
                .filter(a -> a.sender().equals(agency) || a.recipients().contains(agency)).findFirst();
    }

    /** The attachment {@code sha256} of message {@code messageId}, whoever sent it (for people). */
    public Optional<MessageAttachment> forPerson(UUID messageId, String sha256) {
        return find(messageId, sha256).stream().findFirst();
    }

    private List<MessageAttachment> find(UUID messageId, String sha256) {
        return tx.read(connection -> {
            List<MessageAttachment> found = new java.util.ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement(
                    "select sender, recipients, classification, canonical from message where message_id = ?")) {
                ps.setObject(1, messageId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Array recipients = rs.getArray(2);
                        List<String> to = Arrays.asList((String[]) recipients.getArray());
                        String sender = rs.getString(1);
                        String classification = rs.getString(3);
                        byte[] opened = cipher.openUnlessPurged(rs.getBytes(4));
                        named(opened, sha256).ifPresent(a -> found.add(new MessageAttachment(messageId,
                                sender, to, classification, a.path("name").asText(),
                                a.path("mediaType").asText(), a.path("size").asLong(), sha256)));
                    }
                }
            }
            return found;
        });
    }

    /** The entry of the canonical message's {@code attachments} with this SHA-256. */
    private static Optional<JsonNode> named(byte[] canonical, String sha256) {
        if (canonical == null) {
            return Optional.empty();
        }
        try {
            for (JsonNode a : CanonicalJson.mapper().readTree(canonical).path("attachments")) {
                if (sha256.equals(a.path("sha256").asText())) {
                    return Optional.of(a);
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("the journal's canonical message cannot be read", e);
        }
    }

    /**
     * Audits a download: who ({@code actor}: an agency code or a person), of which message's
     * attachment, how, and the person's reason if one was given.
     */
    public void downloaded(String actor, MessageAttachment attachment, Via via, String reason) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("sha256", attachment.sha256());
        detail.put("via", via.name());
        detail.put("classification", attachment.classification());
        if (reason != null) {
            detail.put("reason", reason);
        }
        tx.write(connection -> audit.append(connection, List.of(AuditEntry.of(actor, AuditAction.ATTACHMENT_DOWNLOADED,
                attachment.messageId(), detail))));
    }
}
