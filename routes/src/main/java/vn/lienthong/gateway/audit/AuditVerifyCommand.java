package vn.lienthong.gateway.audit;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/**
 * Verifies the audit chain from the command line: {@code AuditVerifyCommand [jdbcUrl [user
 * [password]]]}, each missing argument taken from {@code LIENTHONG_DB_URL},
 * {@code LIENTHONG_DB_USER}, {@code LIENTHONG_DB_PASSWORD} (prefer the environment for the
 * password: arguments are visible to other users of the machine). Exit 0 when intact, 1 when
 * broken, 2 when it could not verify.
 */
public final class AuditVerifyCommand {

    private AuditVerifyCommand() {
    }

    /** Runs the check and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs the check; returns the exit status. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String url = arg(args, 0, env, "LIENTHONG_DB_URL");
        String user = arg(args, 1, env, "LIENTHONG_DB_USER");
        String password = arg(args, 2, env, "LIENTHONG_DB_PASSWORD");
        if (url == null || args.length > 3) {
            err.println("usage: AuditVerifyCommand [jdbcUrl [user [password]]]"
                    + " (or LIENTHONG_DB_URL, LIENTHONG_DB_USER, LIENTHONG_DB_PASSWORD)");
            return 2;
        }
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            connection.setReadOnly(true);
            AuditVerification result = AuditLog.verify(connection);
            out.println(result.describe());
            return result.ok() ? 0 : 1;
        } catch (SQLException e) {
            // The state and the driver's message, never the URL's credentials.
            err.println("audit chain not verified: database error " + e.getSQLState() + ": " + e.getMessage());
            return 2;
        }
    }

    private static String arg(String[] args, int index, Map<String, String> env, String name) {
        if (args.length > index && !args[index].isEmpty()) {
            return args[index];
        }
        String value = env.get(name);
        return value == null || value.isEmpty() ? null : value;
    }
}
