package vn.lienthong.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.file.GenericFileFilter;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationInitializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;
import vn.lienthong.connectors.spi.Connectors;
import vn.lienthong.connectors.edxml.EdxmlConnector;
import vn.lienthong.connectors.edxml.SignerTrust;
import vn.lienthong.gateway.atrest.BodyCipher;
import vn.lienthong.gateway.channels.RestCalls;
import vn.lienthong.gateway.ingress.RestIngressRoutes;
import vn.lienthong.gateway.inbox.Inbox;
import vn.lienthong.gateway.inbox.InboxRoutes;
import vn.lienthong.gateway.inbox.JdbcInbox;
import vn.lienthong.gateway.tracking.JdbcMessageTracking;
import vn.lienthong.gateway.tracking.MessageTracking;
import vn.lienthong.gateway.tracking.TrackingRoutes;
import vn.lienthong.gateway.dispatch.DeliverySender;
import vn.lienthong.gateway.dispatch.DispatchBacklog;
import vn.lienthong.gateway.dispatch.DispatchRoutes;
import vn.lienthong.gateway.dispatch.DispatchWake;
import vn.lienthong.gateway.dispatch.JdbcOutbox;
import vn.lienthong.gateway.dispatch.KafkaDeliveries;
import vn.lienthong.gateway.dispatch.Outbox;
import vn.lienthong.gateway.dispatch.RetryPolicies;
import vn.lienthong.gateway.dispatch.RetryPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import vn.lienthong.gateway.admin.AdminApi;
import vn.lienthong.gateway.monitoring.ChannelHealth;
import vn.lienthong.gateway.attachments.AttachmentAdminApi;
import vn.lienthong.gateway.attachments.AttachmentRoutes;
import vn.lienthong.gateway.attachments.AttachmentSettings;
import vn.lienthong.gateway.attachments.AttachmentStore;
import vn.lienthong.gateway.attachments.AttachmentUploadApi;
import vn.lienthong.gateway.attachments.ClaimCheck;
import vn.lienthong.gateway.attachments.Claimed;
import vn.lienthong.gateway.attachments.DownloadLinks;
import vn.lienthong.gateway.attachments.EdxmlInline;
import vn.lienthong.gateway.attachments.FileAttachmentStore;
import vn.lienthong.gateway.attachments.JdbcAttachments;
import vn.lienthong.gateway.attachments.SftpBesideFiles;
import vn.lienthong.gateway.receipts.ReceiptVerifier;
import vn.lienthong.gateway.monitoring.GatewayMetrics;
import vn.lienthong.gateway.monitoring.HealthGauges;
import vn.lienthong.gateway.admin.PeopleSecurity;
import vn.lienthong.gateway.tracking.AbandonNotices;
import vn.lienthong.gateway.tracking.JdbcOperatorTracking;
import vn.lienthong.gateway.tracking.OperatorTracking;
import vn.lienthong.gateway.identity.LoginThrottle;
import vn.lienthong.gateway.identity.AgencyAuthenticator;
import vn.lienthong.gateway.identity.PersonDirectory;
import vn.lienthong.gateway.identity.AgencyDirectory;
import vn.lienthong.gateway.identity.JwksSource;
import vn.lienthong.gateway.identity.QueueAgeBound;
import vn.lienthong.gateway.identity.GatewayToken;
import vn.lienthong.gateway.identity.TokenEndpoint;
import vn.lienthong.gateway.identity.TokenVerifier;
import vn.lienthong.gateway.ingress.DeliveryPlanner;
import vn.lienthong.gateway.ingress.IngressGate;
import vn.lienthong.gateway.ingress.IngressPipeline;
import vn.lienthong.gateway.ingress.IngressRecorder;
import vn.lienthong.gateway.ingress.IngressReload;
import vn.lienthong.gateway.ingress.JmsIngressRoutes;
import vn.lienthong.gateway.ingress.KafkaIngressRoutes;
import vn.lienthong.gateway.ingress.RestBodyGuard;
import vn.lienthong.gateway.ingress.SftpIngressRoutes;
import vn.lienthong.gateway.ingress.SpooledBatchIngress;
import vn.lienthong.gateway.journal.GroupCommitter;
import vn.lienthong.gateway.journal.JdbcJournal;
import vn.lienthong.gateway.policy.Authorizer;
import vn.lienthong.gateway.policy.Deliverability;
import vn.lienthong.gateway.policy.SignaturePolicy;
import vn.lienthong.gateway.receipts.ReceiptFactory;
import vn.lienthong.gateway.receipts.ReceiptKeyRoutes;
import vn.lienthong.gateway.receipts.ReceiptKeys;
import vn.lienthong.gateway.receipts.ReceiptSigner;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.gateway.registry.Format;
import vn.lienthong.gateway.registry.LiveRegistry;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.gateway.registry.RegistryWatcher;
import vn.lienthong.schemas.validation.MessageValidator;
import vn.lienthong.schemas.ValidatorSettings;
import vn.lienthong.gateway.channels.ChannelEndpoints;
import vn.lienthong.gateway.channels.JmsBatchComponent;
import vn.lienthong.gateway.channels.GatewaySettings;
import vn.lienthong.gateway.workflows.CaseRoutes;
import vn.lienthong.gateway.workflows.Deadlines;
import vn.lienthong.gateway.workflows.JdbcCases;
import vn.lienthong.gateway.workflows.WorkflowMetrics;
import vn.lienthong.gateway.reports.ReportSettings;
import vn.lienthong.gateway.workflows.Escalations;
import vn.lienthong.gateway.workflows.WorkflowRoutes;
import vn.lienthong.gateway.workflows.JdbcWorkflows;
import vn.lienthong.gateway.workflows.WorkflowSettings;
import vn.lienthong.schemas.ids.WorkingDayCalendar;

/**
 * Wires the gateway: the registry and connectors, the pipeline, the journal, and the routes.
 *
 * <p>Lifecycles are explicit: a bean that holds threads or connections is {@link AutoCloseable}
 * (Spring closes it), and one that must start is started here, where it is made; no
 * {@code @Bean(initMethod|destroyMethod)} names a method by string (an ArchUnit rule).
 */
@Configuration
@EnableConfigurationProperties({GatewaySettings.class, WorkflowSettings.class, AttachmentSettings.class})
public class GatewayConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayConfiguration.class);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The registry in force: replaced when the file changes and checks (see {@link RegistryWatcher}). */
    @Bean
    LiveRegistry liveRegistry(GatewaySettings settings) {
        return new LiveRegistry(Registry.load(Path.of(settings.registry())));
    }

    /**
     * The registry as loaded at start: for what a reload rebuilds itself from the new registry (the
     * ingress routes) and for commands; what serves traffic reads the {@link LiveRegistry}.
     */
    @Bean
    Registry registry(LiveRegistry live) {
        return live.get();
    }

    /**
     * Polls the registry file ({@code lienthong.registry-reload-interval}, 0 to turn it off): a changed
     * file that checks is put in force without a restart; a broken one is refused and the old stays.
     */
    @Bean
    RegistryWatcher registryWatcher(GatewaySettings settings, LiveRegistry live, MeterRegistry meters,
            @Value("${lienthong.registry-reload-interval:10s}") Duration interval) {
        RegistryWatcher watcher = new RegistryWatcher(Path.of(settings.registry()), live,
                interval.isZero() ? Duration.ofDays(1) : interval, meters);
        return interval.isZero() ? watcher : watcher.start();
    }

    /** What was built from the registry follows a reload: the agencies' clients and the ingress routes. */
    @Bean
    IngressReload ingressReload(LiveRegistry live, CamelContext camel, AgencyDirectory directory,
            JmsIngressRoutes jms, KafkaIngressRoutes kafka, SftpIngressRoutes sftp) {
        IngressReload reload = new IngressReload(camel, List.of(jms, kafka, sftp));
        live.onChange((previous, next) -> directory.watch(next.agencies().stream().map(a -> a.keycloakClient())
                .toList()));
        live.onChange(reload);
        return reload;
    }

    @Bean
    Connectors connectors(LiveRegistry live, Clock clock,
            @Value("${lienthong.edxml.signer-certificates:}") String signerCertificates) {
        // edXML headers name organs: give the connector the registry's organ ids and names, made
        // again at each reload (a new province is written with its own organ id at once).
        java.util.function.Supplier<Map<String, EdxmlConnector.Organ>> organs = live.derived(r -> {
            Map<String, EdxmlConnector.Organ> byCode = new LinkedHashMap<>();
            r.agencies().forEach(a -> byCode.put(a.code(), new EdxmlConnector.Organ(a.organId().orElse(""), a.name().vi())));
            return byCode;
        });
        // The certificates that may sign each agency's edXML documents (formats/edxml/README.md §7).
        SignerTrust signers = signerCertificates.isBlank() ? SignerTrust.none()
                : SignerTrust.fromDirectory(Path.of(signerCertificates));
        Connectors connectors = Connectors.discover()
                .replacing(new EdxmlConnector(EdxmlConnector.DEFAULT_NAMESPACE, organs, signers, clock));
        // Say it at start (and at a reload), not at the first delivery: inputs in such a format are
        // refused (DECODE_FAILED) and deliveries in it fail until its connector is installed.
        java.util.function.Consumer<Registry> unserved = registry -> registry.formats().stream().map(Format::name)
                .filter(f -> connectors.forFormat(f).isEmpty())
                .forEach(f -> LOG.warn("no connector for format {} of the registry: its channels cannot carry messages", f));
        unserved.accept(live.get());
        live.onChange((previous, next) -> unserved.accept(next));
        return connectors;
    }

    @Bean
    ChannelEndpoints channelEndpoints(GatewaySettings settings) {
        return new ChannelEndpoints(settings);
    }

    @Bean
    ReceiptKeys receiptKeys(GatewaySettings settings) {
        GatewaySettings.Receipts r = settings.receipts();
        return ReceiptKeys.configured(r.keyStore(), r.keyStorePassword(), r.keyAlias(), r.generate());
    }

    @Bean
    ReceiptSigner receiptSigner(ReceiptKeys keys) {
        return new ReceiptSigner(keys);
    }

    @Bean
    ReceiptKeyRoutes receiptKeyRoutes(ReceiptKeys keys) {
        return new ReceiptKeyRoutes(keys);
    }

    @Bean
    IngressPipeline ingressPipeline(GatewaySettings settings, LiveRegistry live, Connectors connectors, Clock clock,
            ReceiptSigner signer, JdbcWorkflows workflows, ReportSettings reports, ClaimCheck claimCheck) {
        MessageValidator validator = new MessageValidator(ValidatorSettings.defaults()
                .withMaxBytes(settings.maxMessageBytes()).withClock(clock)
                .withReportingConvention(reports.convention()));
        GatewaySettings.ChannelLimits limits = settings.channelLimits();
        Deliverability deliverability = new Deliverability(connectors, Map.of(ChannelKind.REST, limits.rest(),
                ChannelKind.JMS, limits.jms(), ChannelKind.KAFKA, limits.kafka(), ChannelKind.SFTP, limits.sftp()));
        return new IngressPipeline(connectors, validator, new Authorizer(live),
                new SignaturePolicy(live), new DeliveryPlanner(live), deliverability,
                new ReceiptFactory(clock, signer), settings.maxMessageBytes(), workflows).withClaimCheck(claimCheck);
    }

    @Bean
    GroupCommitter groupCommitter(DataSource dataSource, PlatformTransactionManager transactions,
            GatewaySettings settings, JdbcWorkflows workflows, IngressPipeline pipeline, BodyCipher cipher,
            DispatchWake wake) {
        return new GroupCommitter(new JdbcJournal(dataSource, transactions, workflows, pipeline::reused).withCipher(cipher)
                .whenUrgentCommitted(wake), settings.journal().maxBatch());
    }

    /** Wakes the dispatcher when an urgent delivery was committed (the template is looked up at the first wake). */
    @Bean
    DispatchWake dispatchWake(ObjectProvider<org.apache.camel.ProducerTemplate> producer) {
        return new DispatchWake(producer::getObject);
    }

    /**
     * The workflows' time: the gateway's clock, unless a bean named {@code workflowTime} replaces it
     * (tests move the deadlines' time while tokens keep the real one).
     */
    @Bean
    JdbcWorkflows workflows(DataSource dataSource, WorkflowSettings settings, Clock clock,
            @Qualifier("workflowTime") ObjectProvider<InstantSource> workflowTime) {
        return new JdbcWorkflows(dataSource, settings, new Deadlines(WorkingDayCalendar.vietnam()),
                workflowTime.getIfAvailable(() -> clock));
    }

    @Bean
    Escalations escalations(DataSource dataSource, PlatformTransactionManager transactions, JdbcWorkflows workflows,
            LiveRegistry registry, ReceiptSigner signer, WorkflowSettings settings, Clock clock,
            @Qualifier("workflowTime") ObjectProvider<InstantSource> workflowTime, BodyCipher cipher,
            DispatchWake wake) {
        return new Escalations(dataSource, transactions, new JdbcJournal(dataSource, transactions, workflows).withCipher(cipher)
                .whenUrgentCommitted(wake), registry,
                signer::sign, settings, workflowTime.getIfAvailable(() -> clock));
    }

    @Bean
    WorkflowRoutes workflowRoutes(Escalations escalations, WorkflowSettings settings) {
        return new WorkflowRoutes(escalations, settings);
    }

    @Bean
    JdbcCases cases(DataSource dataSource, WorkflowSettings settings, Clock clock,
            @Qualifier("workflowTime") ObjectProvider<InstantSource> workflowTime) {
        return new JdbcCases(dataSource, workflowTime.getIfAvailable(() -> clock), settings.escalateTo());
    }

    @Bean
    CaseRoutes caseRoutes(RestCalls calls, JdbcCases cases) {
        return new CaseRoutes(calls, cases);
    }

    @Bean
    WorkflowMetrics workflowMetrics(JdbcCases cases) {
        return new WorkflowMetrics(cases);
    }

    @Bean
    IngressRecorder ingressRecorder(IngressPipeline pipeline, GroupCommitter journal, Clock clock,
            GatewaySettings settings) {
        return new IngressRecorder(pipeline, journal, clock, settings.receipts().batchSignatures());
    }

    @Bean
    Outbox outbox(DataSource dataSource, PlatformTransactionManager transactions, RetryPolicies retryPolicies,
            JdbcWorkflows workflows, BodyCipher cipher, GatewaySettings settings) {
        return new JdbcOutbox(dataSource, transactions, retryPolicies).withHook(workflows).withCipher(cipher)
                .withKafkaSettle(settings.dispatch().kafkaSettle());
    }

    /**
     * Kafka deliveries exactly once: transactional producers (made at the first Kafka delivery),
     * send intents, the look-up of an interrupted round's deliveries (README "Kafka deliveries
     * exactly once").
     */
    @Bean
    KafkaDeliveries kafkaDeliveries(@Value("${camel.component.kafka.brokers:127.0.0.1:9092}") String brokers,
            DataSource dataSource, GatewaySettings settings, org.springframework.core.env.Environment env) {
        GatewaySettings.Dispatch d = settings.dispatch();
        return new KafkaDeliveries(brokers, dataSource, d.kafkaTransactionTimeout(), d.kafkaProducers(),
                settings.channelLimits().kafka() + GatewaySettings.ChannelLimits.KAFKA_RECORD_OVERHEAD)
                .haltAfterCommit(env.getProperty(KafkaDeliveries.HALT_AFTER_KAFKA_COMMIT, Boolean.class, false));
    }

    /** The gateway's retry policy ({@code lienthong.dispatch.*}), each agency's {@code retry} over it; follows a reload. */
    @Bean
    RetryPolicies retryPolicies(GatewaySettings settings, LiveRegistry live) {
        GatewaySettings.Dispatch d = settings.dispatch();
        RetryPolicy defaults = new RetryPolicy(d.maxAttempts(), d.initialDelay(), d.multiplier(), d.maxDelay(),
                d.giveUpAfter());
        return RetryPolicies.following(defaults, live);
    }

    @Bean
    Inbox inbox(DataSource dataSource, PlatformTransactionManager transactions, JdbcWorkflows workflows,
            BodyCipher cipher) {
        return new JdbcInbox(dataSource, transactions).withHook(workflows).withCipher(cipher);
    }

    @Bean
    MessageTracking messageTracking(DataSource dataSource, PlatformTransactionManager transactions) {
        return new JdbcMessageTracking(dataSource, transactions);
    }

    @Bean
    DeliverySender deliverySender(ProducerTemplate producer, ChannelEndpoints endpoints, Connectors connectors,
            ReceiptSigner signer, ReceiptKeys keys, TokenEndpoint tokens, GatewaySettings settings, Clock clock,
            DownloadLinks links, AttachmentStore store, jakarta.jms.ConnectionFactory connectionFactory,
            KafkaDeliveries kafka) {
        GatewaySettings.Identity identity = settings.identity();
        return new DeliverySender(producer, endpoints, connectors).withPushCredentials(
                ReceiptSigner.forDeliveries(keys)::sign,
                new GatewayToken(tokens, identity.gatewayClientId(), identity.gatewayClientSecret(), clock))
                .withNoticeSigner(ReceiptSigner.forNotices(keys), AbandonNotices.GATEWAY)
                .withCanonicalFor((d, canonical) -> links.withLinks(canonical, d.messageId(), d.recipient()))
                // Only files the store holds (all of them, unless lienthong.attachments.require-stored is off).
                .withBesideFiles(canonical -> Claimed.of(canonical).stream().filter(a -> held(store, a.sha256()))
                        .map(a -> new DeliverySender.BesideFile(a.name(), () -> store.open(a.sha256()))).toList())
                // edXML carries files itself (QCVN 102): its SFTP deliveries have them inside, base64.
                .withInlineFiles(d -> {
                    List<EdxmlInline.InlineFile> files = !EdxmlConnector.FORMAT.equals(d.format()) ? List.of()
                            : Claimed.of(d.canonical()).stream().filter(a -> held(store, a.sha256()))
                                    .map(a -> new EdxmlInline.InlineFile(a.name(),
                                    a.mediaType(), a.sha256(), () -> store.open(a.sha256()))).toList();
                    return files.isEmpty() ? java.util.Optional.empty()
                            : java.util.Optional.of((encoded, out) -> EdxmlInline.write(encoded, files, out));
                })
                .withJmsSessions(connectionFactory)
                .withKafkaTransactions(kafka);
    }

    // ---------------------------------------------------------------- identity (Keycloak)

    /** The realm's issuer, which every other identity setting hangs on; required. */
    private static String issuer(GatewaySettings settings) {
        String issuer = settings.identity().issuer();
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalStateException("lienthong.identity.issuer is not set: the gateway needs the Keycloak realm "
                    + "that vouches for agencies (e.g. http://127.0.0.1:8180/realms/lienthong; production: "
                    + "LIENTHONG_IDENTITY_ISSUER)");
        }
        return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    }

    @Bean
    HttpClient keycloakHttpClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Bean
    TokenEndpoint tokenEndpoint(GatewaySettings settings, HttpClient keycloakHttpClient) {
        return new TokenEndpoint(issuer(settings), keycloakHttpClient);
    }

    @Bean
    TokenVerifier tokenVerifier(GatewaySettings settings, HttpClient keycloakHttpClient, Clock clock) {
        String issuer = issuer(settings);
        GatewaySettings.Identity identity = settings.identity();
        return new TokenVerifier(issuer, identity.audience(), identity.allowedAlgorithms(),
                JwksSource.http(URI.create(issuer + "/protocol/openid-connect/certs"), keycloakHttpClient),
                Duration.ofSeconds(10), clock);
    }

    @Bean
    AgencyDirectory agencyDirectory(GatewaySettings settings, Registry registry, TokenEndpoint tokens,
            HttpClient keycloakHttpClient, Clock clock) {
        String issuer = issuer(settings);
        GatewaySettings.Identity identity = settings.identity();
        String adminUrl = identity.adminUrl().isBlank() ? AgencyDirectory.baseOf(issuer) : identity.adminUrl();
        AgencyDirectory directory = new AgencyDirectory(adminUrl, AgencyDirectory.realmOf(issuer), tokens,
                identity.gatewayClientId(), identity.gatewayClientSecret(),
                registry.agencies().stream().map(a -> a.keycloakClient()).toList(), identity.directoryRefresh(),
                keycloakHttpClient, clock);
        directory.start();
        return directory;
    }

    @Bean
    AgencyAuthenticator agencyAuthenticator(TokenVerifier verifier, AgencyDirectory directory, LiveRegistry registry,
            GatewaySettings settings, Clock clock) {
        return new AgencyAuthenticator(verifier, directory, registry,
                new QueueAgeBound(settings.identity().maxQueuedAge(), clock));
    }

    // ---------------------------------------------------------------- people (operators, auditors)

    @Bean
    PersonDirectory personDirectory(GatewaySettings settings, TokenEndpoint tokens, HttpClient keycloakHttpClient,
            Clock clock) {
        String issuer = issuer(settings);
        GatewaySettings.Identity identity = settings.identity();
        String adminUrl = identity.adminUrl().isBlank() ? AgencyDirectory.baseOf(issuer) : identity.adminUrl();
        return new PersonDirectory(adminUrl, AgencyDirectory.realmOf(issuer), tokens, identity.gatewayClientId(),
                identity.gatewayClientSecret(), identity.directoryRefresh(), keycloakHttpClient, clock);
    }

    @Bean
    JwtDecoder peopleJwtDecoder(GatewaySettings settings, PersonDirectory people) {
        return PeopleSecurity.jwtDecoder(issuer(settings), people);
    }

    @Bean
    ClientRegistrationRepository clientRegistrations(GatewaySettings settings) {
        GatewaySettings.Identity identity = settings.identity();
        return new InMemoryClientRegistrationRepository(PeopleSecurity.consoleRegistration(issuer(settings),
                identity.consoleClientId(), identity.consoleClientSecret()));
    }

    @Bean
    OperatorTracking operatorTracking(DataSource dataSource, PlatformTransactionManager transactions,
            LiveRegistry registry, ReceiptSigner signer, BodyCipher cipher) {
        // An abandon tells the sender (delivery.abandoned), recorded in the abandon's transaction.
        return new JdbcOperatorTracking(dataSource, transactions).withCipher(cipher).withAbandonNotices(new AbandonNotices(
                new JdbcJournal(dataSource, transactions).withCipher(cipher), registry, signer::sign));
    }

    /** The operator API, /api/v1/admin/** (people only: see PeopleSecurity). */
    @Bean
    RouterFunction<ServerResponse> adminApi(OperatorTracking tracking, LiveRegistry registry) {
        return new AdminApi(tracking, registry).routes();
    }

    /** The console's views: agencies, backlog per recipient, traffic per hour, every agency's cases (people only). */
    @Bean
    RouterFunction<ServerResponse> consoleApi(DataSource dataSource, JdbcCases cases, LiveRegistry registry, Clock clock) {
        return new vn.lienthong.gateway.admin.ConsoleApi(new vn.lienthong.gateway.tracking.JdbcOperatorViews(dataSource),
                cases, registry, clock).routes();
    }

    /** The console page, /console/ (people only: see PeopleSecurity). */
    @Bean
    RouterFunction<ServerResponse> consolePage() {
        return vn.lienthong.gateway.admin.ConsolePage.routes();
    }

    /** Traffic, latency, backlog and the audit chain for Prometheus (label values: agency codes, types, channels). */
    @Bean
    GatewayMetrics gatewayMetrics(DataSource dataSource, MeterRegistry meters, LiveRegistry registry,
            AgencyDirectory directory,
            ObjectProvider<FlywayMigrationInitializer> migrations) {
        // Its first read must find the tables: the schema is migrated before it starts.
        migrations.ifAvailable(m -> { });
        GatewayMetrics metrics = new GatewayMetrics(dataSource, meters,
                registry.get().agencies().stream().map(a -> a.code()).toList(),
                java.util.Arrays.stream(vn.lienthong.schemas.MessageType.values()).map(t -> t.wireName()).toList(),
                directory::available, Duration.ofSeconds(10));
        // A reload's new agencies get their gauges and their own label value; gone ones lose them.
        registry.onChange((previous, next) -> metrics.agencies(next.agencies().stream().map(a -> a.code()).toList()));
        metrics.start();
        return metrics;
    }

    /** Health component "artemis" (readiness): the JMS broker answers a connection. */
    @Bean
    HealthIndicator artemisHealthIndicator(@Value("${spring.artemis.broker-url:tcp://127.0.0.1:61616}") String url,
            @Value("${spring.artemis.user:}") String user, @Value("${spring.artemis.password:}") String password,
            LiveRegistry registry) {
        return ChannelHealth.ifUsed(registry, vn.lienthong.gateway.registry.ChannelKind.JMS,
                ChannelHealth.artemis(url, user, password));
    }

    /** Health component "kafka" (readiness): the cluster is described within the check's timeout. */
    @Bean
    ChannelHealth.KafkaIndicator kafkaHealthIndicator(
            @Value("${camel.component.kafka.brokers:127.0.0.1:9092}") String brokers, LiveRegistry registry) {
        return ChannelHealth.kafka(brokers, registry);
    }

    /** Health component "sftp" (readiness): the gateway's account logs in to the SFTP server. */
    @Bean
    HealthIndicator sftpHealthIndicator(GatewaySettings settings, LiveRegistry registry) {
        return ChannelHealth.ifUsed(registry, vn.lienthong.gateway.registry.ChannelKind.SFTP,
                ChannelHealth.sftp(settings.sftp()));
    }

    /** Health component "recipients" (readiness, never aggregated DOWN): each push URL's reachability. */
    @Bean
    org.springframework.boot.actuate.health.HealthContributor recipientsHealthContributor(LiveRegistry registry) {
        return ChannelHealth.recipients(registry.derived(ChannelHealth::pushChecks));
    }

    /** The channel checks as gauges for alert rules (lienthong_channel_up, lienthong_recipient_reachable). */
    @Bean
    HealthGauges healthGauges(MeterRegistry meters,
            @Qualifier("artemisHealthIndicator") HealthIndicator artemis, ChannelHealth.KafkaIndicator kafka,
            @Qualifier("sftpHealthIndicator") HealthIndicator sftp,
            @Qualifier("recipientsHealthContributor") org.springframework.boot.actuate.health.HealthContributor recipients,
            LiveRegistry registry) {
        HealthGauges gauges = new HealthGauges(meters, java.util.Map.of("artemis", artemis, "kafka", kafka, "sftp", sftp),
                recipients, Duration.ofSeconds(15));
        // The recipients' gauges follow a reload (the contributor's members already have).
        registry.onChange((previous, next) -> gauges.recipients(recipients));
        return gauges;
    }

    /** The agencies' REST channel is theirs: its routes check agencies' tokens (first, so people's rules never apply). */
    @Bean
    @Order(1)
    SecurityFilterChain agencyChannelSecurity(HttpSecurity http) throws Exception {
        return PeopleSecurity.agencyChannel(http);
    }

    /** Everything else is for people of realm lienthong. */
    @Bean
    @Order(2)
    SecurityFilterChain peopleSecurity(HttpSecurity http, JwtDecoder decoder, ClientRegistrationRepository registrations,
            PersonDirectory people) throws Exception {
        return PeopleSecurity.people(http, decoder, registrations, people);
    }

    /** SFTP inboxes are read only while the gateway can tell who is enabled (files wait otherwise). */
    @Bean(ChannelEndpoints.SFTP_INBOX_FILTER)
    GenericFileFilter<Object> sftpInboxFilter(AgencyAuthenticator authenticator) {
        return file -> authenticator.available();
    }

    /**
     * Health component "identity": down while Keycloak has not said who is enabled within the
     * revocation bound (inputs wait then). It belongs to the readiness group only
     * (application.yaml): a gateway waiting for Keycloak is not broken, a liveness probe must not
     * restart it.
     */
    @Bean
    HealthIndicator identityHealthIndicator(AgencyDirectory directory) {
        return () -> {
            Health.Builder health = directory.available() ? Health.up() : Health.down();
            directory.refreshedAt().ifPresent(at -> health.withDetail("keycloakAnsweredAt", at.toString()));
            return health.withDetail("answerStandsFor", directory.maxAge().toString()).build();
        };
    }

    /** Agencies' queues, topics and folders are not read while Keycloak cannot be asked. */
    @Bean
    IngressGate ingressGate(CamelContext camel, AgencyDirectory directory) {
        return new IngressGate(camel, directory);
    }

    // ---------------------------------------------------------------- channels

    /** The {@code jms-batch} component: JMS inputs consumed in transacted batches. */
    @Bean(JmsBatchComponent.SCHEME)
    JmsBatchComponent jmsBatchComponent(jakarta.jms.ConnectionFactory connectionFactory) {
        return new JmsBatchComponent(connectionFactory);
    }

    /**
     * Backpressure from dispatch to the queued channels' intake ({@code lienthong.ingress.backlog-*},
     * issue 12 point 3; high water 0 turns it off).
     */
    @Bean
    DispatchBacklog dispatchBacklog(DataSource dataSource,
            @Value("${lienthong.ingress.backlog-high-water:0}") int highWater,
            @Value("${lienthong.ingress.backlog-low-water:0}") int lowWater,
            @Value("${lienthong.ingress.backlog-check-interval:250ms}") java.time.Duration checkInterval,
            @Value("${lienthong.ingress.backlog-max-wait:30s}") java.time.Duration maxWait) {
        return new DispatchBacklog(dataSource, new DispatchBacklog.Settings(highWater, lowWater, checkInterval, maxWait));
    }

    /**
     * How often and how long the queued channels' intake waited for dispatch: counters
     * {@code lienthong_ingress_backpressure_waits} and {@code lienthong_ingress_backpressure_wait_seconds}.
     */
    @Bean
    io.micrometer.core.instrument.binder.MeterBinder backpressureMeters(DispatchBacklog backlog) {
        return registry -> {
            io.micrometer.core.instrument.FunctionCounter.builder("lienthong_ingress_backpressure_waits", backlog,
                    DispatchBacklog::waits).description("batches of the queued channels that waited for dispatch")
                    .register(registry);
            io.micrometer.core.instrument.FunctionCounter.builder("lienthong_ingress_backpressure_wait_seconds", backlog,
                    b -> b.waitedMillis() / 1000.0).description("time batches waited for dispatch, summed")
                    .register(registry);
        };
    }

    @Bean
    JmsIngressRoutes jmsIngressRoutes(Registry registry, ChannelEndpoints endpoints, IngressRecorder recorder,
            AgencyAuthenticator authenticator, GatewaySettings settings, org.springframework.core.env.Environment env,
            DispatchBacklog backlog) {
        return new JmsIngressRoutes(registry, endpoints, recorder, authenticator,
                settings.identity().jmsIngressTimestamp())
                // Fault injection for the kill test (off by default; see JmsIngressRoutes).
                .haltAfterJournalCommit(env.getProperty(JmsIngressRoutes.HALT_AFTER_JOURNAL_COMMIT, Boolean.class, false))
                .withBackpressure(backlog);
    }

    @Bean
    KafkaIngressRoutes kafkaIngressRoutes(Registry registry, ChannelEndpoints endpoints, IngressRecorder recorder,
            AgencyAuthenticator authenticator, ProducerTemplate producer, DispatchBacklog backlog) {
        return new KafkaIngressRoutes(registry, endpoints, recorder, authenticator, producer).withBackpressure(backlog);
    }

    @Bean
    SftpIngressRoutes sftpIngressRoutes(Registry registry, ChannelEndpoints endpoints, IngressRecorder recorder,
            AgencyAuthenticator authenticator, Connectors connectors, IngressPipeline pipeline, GroupCommitter journal,
            Clock clock, GatewaySettings settings, SftpBesideFiles besideFiles,
            @Value("${lienthong.cluster.sftp-leader-election:true}") boolean elected) {
        return new SftpIngressRoutes(registry, endpoints, recorder, authenticator,
                new SpooledBatchIngress(pipeline, journal, connectors, settings.journal().maxBatch(),
                        settings.receipts().batchSignatures()), clock, elected)
                .withBesideFiles(besideFiles);
    }

    /** The transaction of a dispatch round (claim, encode, deliver, outcome), read committed as the journal's. */
    @Bean(DispatchRoutes.TRANSACTION)
    SpringTransactionPolicy dispatchTransaction(PlatformTransactionManager transactions) {
        TransactionTemplate template = new TransactionTemplate(transactions);
        template.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        return new SpringTransactionPolicy(template);
    }

    @Bean
    DispatchRoutes dispatchRoutes(Outbox outbox, DeliverySender sender, GatewaySettings settings,
            @Value("${lienthong.dispatch.max-batch-size:0}") int maxBatch,
            @Value("${lienthong.dispatch.pollers:1}") int pollers) {
        return new DispatchRoutes(outbox, sender, settings.dispatch()).withMaxBatch(maxBatch).withPollers(pollers);
    }

    /**
     * API bodies are guarded before Camel's HTTP binding reads them: forms 415, a declared length
     * over the largest message 413, and none read past that size.
     */
    @Bean
    FilterRegistrationBean<RestBodyGuard> restBodyGuard(GatewaySettings settings) {
        FilterRegistrationBean<RestBodyGuard> registration = new FilterRegistrationBean<>(new RestBodyGuard(
                settings.maxMessageBytes(), java.util.Set.of(AttachmentUploadApi.PATH)));
        registration.addUrlPatterns("/api/*");
        return registration;
    }

    @Bean
    RestCalls restCalls(LiveRegistry registry, AgencyAuthenticator authenticator, LoginThrottle loginThrottle) {
        return new RestCalls(registry, authenticator, loginThrottle);
    }

    @Bean
    RestIngressRoutes restIngressRoutes(RestCalls calls, IngressRecorder recorder) {
        return new RestIngressRoutes(calls, recorder);
    }

    @Bean
    InboxRoutes inboxRoutes(RestCalls calls, Inbox inbox, Connectors connectors, ReceiptKeys keys) {
        return new InboxRoutes(calls, inbox, connectors).withNoticeSigner(ReceiptSigner.forNotices(keys),
                AbandonNotices.GATEWAY);
    }

    @Bean
    TrackingRoutes trackingRoutes(RestCalls calls, MessageTracking tracking) {
        return new TrackingRoutes(calls, tracking);
    }

    // ---------------------------------------------------------------- attachments (claim check)

    /** Whether the store holds the blob (a name that is no SHA-256, or a store that cannot say: no). */
    private static boolean held(AttachmentStore store, String sha256) {
        try {
            return AttachmentStore.isSha256(sha256) && store.size(sha256).isPresent();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * The attachment store: files under {@code lienthong.attachments.folder}, or with
     * {@code lienthong.attachments.store=s3} an S3-compatible bucket; either way sealed at rest with
     * the attachment data keys (unless {@code lienthong.attachments.sealed} is off).
     */
    @Bean
    AttachmentStore attachmentStore(AttachmentSettings settings, vn.lienthong.gateway.atrest.DataKeys keys) {
        vn.lienthong.gateway.atrest.StreamCipher cipher = settings.sealed()
                ? new vn.lienthong.gateway.atrest.TinkStreamCipher(keys) : vn.lienthong.gateway.atrest.StreamCipher.CLEAR;
        switch (settings.store()) {
            case "file":
                return new FileAttachmentStore(Path.of(settings.folder()), cipher);
            case "s3":
                AttachmentSettings.S3 s3 = settings.s3();
                if (s3.bucket().isBlank()) {
                    throw new IllegalStateException("lienthong.attachments.store is s3 but lienthong.attachments.s3.bucket"
                            + " is not set: name the bucket (and lienthong.attachments.s3.endpoint for a server other"
                            + " than AWS S3)");
                }
                if (settings.maxBytes() > vn.lienthong.gateway.attachments.S3AttachmentStore.MAX_OBJECT_BYTES) {
                    throw new IllegalStateException("lienthong.attachments.max-bytes is " + settings.maxBytes()
                            + "; with the S3 store an attachment may weigh at most "
                            + vn.lienthong.gateway.attachments.S3AttachmentStore.MAX_OBJECT_BYTES + " bytes");
                }
                var store = new vn.lienthong.gateway.attachments.S3AttachmentStore(
                        vn.lienthong.gateway.attachments.S3AttachmentStore.client(s3.endpoint(), s3.region(),
                                s3.accessKey(), s3.secretKey()), s3.bucket(), s3.prefix(), cipher);
                return s3.createBucket() ? store.createBucketIfAbsent() : store;
            default:
                throw new IllegalStateException("lienthong.attachments.store is '" + settings.store()
                        + "': it must be file or s3");
        }
    }

    /** When retention shreds attachment data keys: the uploads they sealed are forgotten and their blobs deleted. */
    @Bean
    vn.lienthong.gateway.atrest.Retention.Shredded attachmentShredding(AttachmentStore store, JdbcAttachments attachments) {
        return (scope, keyIds) -> {
            if (!vn.lienthong.gateway.atrest.BodyCipher.ATTACHMENT.equals(scope)) {
                return;
            }
            for (String sha256 : attachments.shredded()) {
                try {
                    store.delete(sha256);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("attachment " + sha256 + " could not be deleted", e);
                }
            }
        };
    }

    @Bean
    JdbcAttachments jdbcAttachments(DataSource dataSource, PlatformTransactionManager transactions, BodyCipher cipher) {
        return new JdbcAttachments(dataSource, transactions).withCipher(cipher);
    }

    /** The ingress's attachment check (off only where {@code lienthong.attachments.require-stored} is false). */
    @Bean
    ClaimCheck claimCheck(AttachmentSettings settings, AttachmentStore store, JdbcAttachments attachments) {
        return settings.requireStored() ? ClaimCheck.of(store, attachments) : ClaimCheck.NONE;
    }

    /** Download links signed with the receipt key; the base URL is the configured one or the server's own. */
    @Bean
    DownloadLinks downloadLinks(AttachmentSettings settings, ReceiptSigner signer, ReceiptKeys keys, Clock clock,
            org.springframework.core.env.Environment environment) {
        ReceiptVerifier verifier = new ReceiptVerifier(keys.publicKeys());
        java.util.function.Supplier<String> base = settings.publicUrl().isBlank()
                ? () -> "http://" + environment.getProperty("server.address", "127.0.0.1") + ":"
                        + environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"))
                : settings::publicUrl;
        return new DownloadLinks(signer::sign, verifier::verify, base, settings.linkLifetime(), clock);
    }

    @Bean
    AttachmentRoutes attachmentRoutes(RestCalls calls, AttachmentStore store, JdbcAttachments attachments,
            DownloadLinks links) {
        return new AttachmentRoutes(calls, store, attachments, links);
    }

    /** Agencies' uploads, POST /api/v1/attachments, streamed into the store (Spring MVC: see AttachmentUploadApi). */
    @Bean
    RouterFunction<ServerResponse> attachmentUploadApi(AgencyAuthenticator authenticator, AttachmentStore store,
            JdbcAttachments attachments, AttachmentSettings settings) {
        return new AttachmentUploadApi(authenticator, store, attachments, settings.maxBytes()).routes();
    }

    /** Attachments dropped beside a message file on SFTP, taken with it. */
    @Bean
    SftpBesideFiles sftpBesideFiles(GatewaySettings settings, AttachmentStore store, JdbcAttachments attachments,
            AttachmentSettings attachmentSettings) {
        return new SftpBesideFiles(settings.sftp(), store, attachments, attachmentSettings.maxBytes());
    }

    /** People's downloads, /api/v1/admin/messages/{id}/attachments/{sha256} (see PeopleSecurity). */
    @Bean
    RouterFunction<ServerResponse> attachmentAdminApi(AttachmentStore store, JdbcAttachments attachments) {
        return new AttachmentAdminApi(store, attachments).routes();
    }
}
