package vn.lienthong.gateway;

import java.time.Clock;
import java.time.InstantSource;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;
import vn.lienthong.gateway.identity.AgencyAuthenticator;
import vn.lienthong.gateway.journal.JdbcJournal;
import vn.lienthong.gateway.receipts.ReceiptSigner;
import vn.lienthong.gateway.registry.LiveRegistry;
import vn.lienthong.gateway.reports.Consolidator;
import vn.lienthong.gateway.reports.EarlyWarning;
import vn.lienthong.gateway.reports.ReportReminders;
import vn.lienthong.gateway.reports.ReportRoutes;
import vn.lienthong.gateway.reports.ReportSettings;
import vn.lienthong.gateway.atrest.BodyCipher;
import vn.lienthong.gateway.reports.ReportsApi;
import vn.lienthong.gateway.reports.WarningDigests;
import vn.lienthong.gateway.workflows.JdbcWorkflows;

/**
 * The reports' wiring: consolidation, reminders and early-warning digests on timers, and the report
 * paths of the operator API and of the agencies. Time
 * is the workflows' (a bean named {@code workflowTime} replaces the clock in tests), as for deadlines.
 */
@Configuration
@EnableConfigurationProperties(ReportSettings.class)
public class ReportsConfiguration {

    @Bean
    Consolidator consolidator(DataSource dataSource, LiveRegistry registry, ReportSettings settings, Clock clock,
            @Qualifier("workflowTime") ObjectProvider<InstantSource> workflowTime, BodyCipher cipher) {
        return new Consolidator(dataSource, registry, settings, workflowTime.getIfAvailable(() -> clock)).withCipher(cipher);
    }

    @Bean
    ReportReminders reportReminders(DataSource dataSource, PlatformTransactionManager transactions,
            JdbcWorkflows workflows, LiveRegistry registry, Consolidator consolidator, ReceiptSigner signer, Clock clock,
            @Qualifier("workflowTime") ObjectProvider<InstantSource> workflowTime, BodyCipher cipher) {
        return new ReportReminders(dataSource, transactions, new JdbcJournal(dataSource, transactions, workflows).withCipher(cipher),
                registry, consolidator, signer::sign, workflowTime.getIfAvailable(() -> clock));
    }

    @Bean
    ReportRoutes reportRoutes(ReportReminders reminders, WarningDigests digests, ReportSettings settings) {
        return new ReportRoutes(reminders, digests, settings);
    }

    @Bean
    EarlyWarning earlyWarning(DataSource dataSource, ReportSettings settings, Clock clock,
            @Qualifier("workflowTime") ObjectProvider<InstantSource> workflowTime, BodyCipher cipher) {
        return new EarlyWarning(dataSource, settings.warning(), workflowTime.getIfAvailable(() -> clock)).withCipher(cipher);
    }

    @Bean
    WarningDigests warningDigests(DataSource dataSource, PlatformTransactionManager transactions,
            JdbcWorkflows workflows, LiveRegistry registry, EarlyWarning warning, ReceiptSigner signer, Clock clock,
            @Qualifier("workflowTime") ObjectProvider<InstantSource> workflowTime, BodyCipher cipher) {
        return new WarningDigests(dataSource, transactions, new JdbcJournal(dataSource, transactions, workflows).withCipher(cipher),
                registry, warning, signer::sign, workflowTime.getIfAvailable(() -> clock));
    }

    @Bean
    RouterFunction<ServerResponse> reportsApi(Consolidator consolidator, EarlyWarning warning) {
        return new ReportsApi(consolidator, warning).routes();
    }

    /** The same reports for the agencies they go to, on their own tokens ({@code /api/v1/reports/**}). */
    @Bean
    RouterFunction<ServerResponse> agencyReportsApi(Consolidator consolidator, EarlyWarning warning,
            AgencyAuthenticator authenticator, LiveRegistry registry) {
        return new ReportsApi(consolidator, warning).agencyRoutes(authenticator, registry);
    }
}
