package vn.lienthong.gateway;

import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.transaction.PlatformTransactionManager;
import java.time.Clock;
import vn.lienthong.gateway.atrest.AesGcmBodyCipher;
import vn.lienthong.gateway.atrest.AtRestSettings;
import vn.lienthong.gateway.atrest.BodyCipher;
import vn.lienthong.gateway.atrest.DataKeys;
import vn.lienthong.gateway.atrest.KeyEncryptionKeys;
import vn.lienthong.gateway.atrest.Retention;
import vn.lienthong.gateway.atrest.RetentionRoutes;
import vn.lienthong.gateway.cluster.ClusterSettings;
import vn.lienthong.gateway.cluster.FolderLeadership;
import vn.lienthong.gateway.identity.LoginLimits;
import vn.lienthong.gateway.identity.LoginThrottle;

/**
 * Wires what lets several instances share one database (the SFTP folders' leader election) and
 * keeps bodies safe at rest (sealed under wrapped data keys, purged after their retention), and
 * the brute-force limits of the agencies' REST channel.
 * Kept apart from {@link GatewayConfiguration} so that each concern's wiring reads on its own.
 */
@Configuration
@EnableConfigurationProperties({ClusterSettings.class, AtRestSettings.class, LoginLimits.class})
public class ScaleConfiguration {

    /** The route ids of the SFTP inbox pollers (ChannelIngressRoutes names them so). */
    static final String SFTP_ROUTES = "ingress-sftp-";

    /** Spring Integration's lock table (INT_LOCK, migration V4_6), its locks lapsing after the TTL. */
    @Bean
    DefaultLockRepository folderLockRepository(DataSource dataSource, PlatformTransactionManager transactions,
            ClusterSettings settings) {
        DefaultLockRepository repository = new DefaultLockRepository(dataSource);
        repository.setPrefix("INT_");
        repository.setRegion(ClusterSettings.SFTP_REGION);
        repository.setTimeToLive(Math.toIntExact(settings.lockTtl().toMillis()));
        repository.setTransactionManager(transactions);
        return repository;
    }

    @Bean
    JdbcLockRegistry folderLocks(DefaultLockRepository folderLockRepository, ClusterSettings settings) {
        JdbcLockRegistry registry = new JdbcLockRegistry(folderLockRepository);
        registry.setIdleBetweenTries(java.time.Duration.ofMillis(Math.min(100, settings.heartbeat().toMillis())));
        return registry;
    }

    /** Each SFTP folder polled by one instance; absent when the election is off (every instance polls). */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(name = "lienthong.cluster.sftp-leader-election",
            havingValue = "true", matchIfMissing = true)
    FolderLeadership folderLeadership(CamelContext camel, JdbcLockRegistry folderLocks, ClusterSettings settings) {
        return new FolderLeadership(camel, folderLocks, SFTP_ROUTES, settings.heartbeat());
    }

    // ---------------------------------------------------------------- bodies at rest

    /** The key-encryption keys: required (the gateway refuses to start without them), generated once by the embedded default. */
    @Bean
    KeyEncryptionKeys keyEncryptionKeys(AtRestSettings settings) {
        return KeyEncryptionKeys.configured(settings.keyStore(), settings.keyStorePassword(), settings.keyAlias(),
                settings.generate());
    }

    @Bean
    DataKeys dataKeys(DataSource dataSource, KeyEncryptionKeys keks, AtRestSettings settings, Clock clock) {
        return new DataKeys(dataSource, keks, settings.rotation(), clock);
    }

    /** What the journal, outbox, inbox, tracking (and an attachment store) seal and open bodies with. */
    @Bean
    BodyCipher bodyCipher(DataKeys keys) {
        return new AesGcmBodyCipher(keys);
    }

    /** The purge; told listeners (the attachment store's) delete what shredded keys sealed. */
    @Bean
    Retention retention(DataSource dataSource, DataKeys keys, AtRestSettings settings, Clock clock,
            org.springframework.beans.factory.ObjectProvider<Retention.Shredded> listeners) {
        Retention retention = new Retention(dataSource, keys, settings.retention(), clock);
        listeners.orderedStream().forEach(retention::onShredded);
        return retention;
    }

    @Bean
    RetentionRoutes retentionRoutes(Retention retention, AtRestSettings settings) {
        return new RetentionRoutes(retention, settings.purgeInterval());
    }

    // ---------------------------------------------------------------- brute force

    /**
     * Failed REST authentications per source address and claimed client (429 over the limit),
     * counted in the shared database unless {@code lienthong.login-limits.store} is {@code memory}.
     */
    @Bean
    LoginThrottle loginThrottle(LoginLimits limits, DataSource dataSource,
            org.springframework.beans.factory.ObjectProvider<org.springframework.boot.autoconfigure.flyway.FlywayMigrationInitializer> migrations) {
        // Its table (login_bucket, V5_2) is migrated before the first call.
        migrations.ifAvailable(m -> { });
        return limits.throttle(dataSource);
    }
}
