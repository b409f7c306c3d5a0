package vn.lienthong.gateway;

import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import vn.lienthong.gateway.identity.provisioning.KeycloakCommand;
import vn.lienthong.gateway.audit.AuditVerifyCommand;
import vn.lienthong.gateway.receipts.ReceiptVerifyCommand;

/**
 * The composition root: starts the gateway against the brokers, database, SFTP server and Keycloak
 * its configuration names (the {@code production} profile reads them from the environment; the
 * devstack module starts servers of its own and then this application).
 */
@SpringBootApplication
public class GatewayApplication {

    /**
     * Entry point: the gateway, or one of its commands ({@code audit-verify}, {@code keycloak},
     * {@code receipt-verify}) when the first argument names it.
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && !args[0].startsWith("-")) {
            String[] rest = Arrays.copyOfRange(args, 1, args.length);
            switch (args[0]) {
                case "audit-verify" -> AuditVerifyCommand.main(rest);
                case "keycloak" -> KeycloakCommand.main(rest);
                case "receipt-verify" -> ReceiptVerifyCommand.main(rest);
                default -> {
                    System.err.println("unknown command " + args[0]
                            + "; commands: audit-verify, keycloak, receipt-verify");
                    System.exit(2);
                }
            }
            return;
        }
        SpringApplication.run(GatewayApplication.class, args);
    }
}
