package vn.lienthong.gateway.attachments;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Vector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lienthong.gateway.channels.GatewaySettings;

/**
 * Attachments dropped over SFTP beside a message file: the files of folder
 * {@code inbox/<message file>.attachments/} (e.g. {@code inbox/case-1187.json.attachments/ho-so.pdf})
 * are taken with the message, before it is checked: each is streamed into the store, recorded as
 * uploaded by the folder's owner, and removed from the folder. The message's {@code attachments}
 * entries then reference them as an upload over REST would ({@code att:<sha256>/<name>}).
 *
 * <p>Partial uploads: the agency writes the attachments first and the message file last (each under
 * a temporary name, renamed when complete: the inbox's own rule); files still named {@code .*} or
 * {@code *.part} are left for a later message. A file cut short has another SHA-256 than its entry,
 * so the message is refused ({@code ATTACHMENT_NOT_STORED}) rather than delivered with half a file.
 */
public final class SftpBesideFiles {

    /** The suffix of the folder beside a message file that holds its attachments. */
    public static final String SUFFIX = ".attachments";

    private static final Logger LOG = LoggerFactory.getLogger(SftpBesideFiles.class);

    private final GatewaySettings.Sftp server;
    private final AttachmentStore store;
    private final JdbcAttachments uploads;
    private final long maxBytes;

    /** Files read from {@code server} with the gateway's account, kept in {@code store}. */
    public SftpBesideFiles(GatewaySettings.Sftp server, AttachmentStore store, JdbcAttachments uploads, long maxBytes) {
        this.server = server;
        this.store = store;
        this.uploads = uploads;
        this.maxBytes = maxBytes;
    }

    /**
     * Takes the attachments beside {@code messageFile} in {@code folder/inbox} for {@code agency};
     * returns the blobs stored (none when there is no such folder).
     */
    public List<AttachmentStore.Stored> take(String folder, String messageFile, String agency) throws IOException {
        String dir = folder + "/inbox/" + messageFile + SUFFIX;
        Session session = null;
        ChannelSftp sftp = null;
        try {
            session = session();
            sftp = (ChannelSftp) session.openChannel("sftp");
            sftp.connect(10_000);
            Vector<ChannelSftp.LsEntry> entries;
            try {
                entries = sftp.ls(dir);
            } catch (SftpException e) {
                if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                    return List.of();
                }
                throw e;
            }
            List<AttachmentStore.Stored> stored = new ArrayList<>();
            boolean pending = false;
            for (ChannelSftp.LsEntry entry : entries) {
                String name = entry.getFilename();
                if (entry.getAttrs().isDir()) {
                    continue;
                }
                if (name.startsWith(".") || name.endsWith(".part")) {
                    pending = true;
                    continue;
                }
                AttachmentStore.Stored blob;
                try (InputStream in = sftp.get(dir + "/" + name)) {
                    blob = store.put(in, maxBytes);
                } catch (AttachmentStore.TooLargeException e) {
                    LOG.warn("{}: an attachment beside {} is larger than {} bytes; left where it is", folder,
                            messageFile, maxBytes);
                    pending = true;
                    continue;
                }
                uploads.uploaded(agency, blob);
                stored.add(blob);
                sftp.rm(dir + "/" + name);
            }
            if (!pending) {
                sftp.rmdir(dir);
            }
            return stored;
        } catch (JSchException | SftpException e) {
            throw new IOException("the attachments beside " + messageFile + " in " + folder + " cannot be read: "
                    + e.getMessage(), e);
        } finally {
            if (sftp != null) {
                sftp.disconnect();
            }
            if (session != null) {
                session.disconnect();
            }
        }
    }

    /** A session of the gateway's account, the server's host key checked against the known hosts file. */
    private Session session() throws JSchException {
        JSch jsch = new JSch();
        jsch.setKnownHosts(server.knownHostsFile());
        Session session = jsch.getSession(server.username(), server.host(), server.port());
        session.setPassword(server.password());
        session.setConfig("StrictHostKeyChecking", "yes");
        session.setConfig("PreferredAuthentications", "password");
        session.connect(10_000);
        return session;
    }
}
