package vn.lienthong.gateway.cluster;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Several instances on one database ({@code lienthong.cluster.*}).
 *
 * @param sftpLeaderElection whether each SFTP folder is polled only by its elected instance (off:
 *     every instance polls every folder, for a single instance without the lock table)
 * @param lockTtl how long a lock held by an instance that stopped renewing it stands: an instance
 *     that dies without releasing its folders is replaced within this plus one heartbeat
 * @param heartbeat how often a leader renews its lock, and a follower tries to take it
 */
@ConfigurationProperties(prefix = "lienthong.cluster")
public record ClusterSettings(
        @DefaultValue("true") boolean sftpLeaderElection,
        @DefaultValue("10s") Duration lockTtl,
        @DefaultValue("1s") Duration heartbeat) {

    /** The lock table's region of the SFTP folders' elections. */
    public static final String SFTP_REGION = "lienthong-sftp";

    /** A TTL no longer than the heartbeat would let a live leader's lock lapse between renewals. */
    public ClusterSettings {
        if (lockTtl.compareTo(heartbeat.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("lienthong.cluster.lock-ttl (" + lockTtl
                    + ") must be at least twice lienthong.cluster.heartbeat (" + heartbeat + ")");
        }
    }
}
