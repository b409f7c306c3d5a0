package vn.lienthong.gateway.journal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs plain JDBC work on the connection of a Spring-managed transaction (joining the caller's, if
 * there is one, which must then be read committed too), translating {@link SQLException} into
 * Spring's {@code DataAccessException}s.
 */
public final class JdbcTx {

    /** JDBC work on the transaction's connection. */
    @FunctionalInterface
    public interface Work<T> {
        /** Does the work; the connection belongs to the transaction: do not close or commit it. */
        T apply(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final TransactionTemplate readWrite;
    private final TransactionTemplate readOnly;
    private final TransactionTemplate mandatory;
    private final SQLExceptionTranslator translator = new SQLExceptionSubclassTranslator();

    /** Transactions of a {@link DataSourceTransactionManager} of its own. */
    public JdbcTx(DataSource dataSource) {
        this(dataSource, new DataSourceTransactionManager(dataSource));
    }

    /** Transactions of the given manager, which must manage {@code dataSource}. */
    public JdbcTx(DataSource dataSource, PlatformTransactionManager transactions) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.readWrite = new TransactionTemplate(Objects.requireNonNull(transactions, "transactions"));
        this.readOnly = new TransactionTemplate(transactions);
        readOnly.setReadOnly(true);
        this.mandatory = new TransactionTemplate(transactions);
        mandatory.setPropagationBehavior(TransactionDefinition.PROPAGATION_MANDATORY);
        // Read committed, whatever the manager's default: a statement after taking an advisory lock
        // (an order key's, the audit lock) must see what the previous holder committed (OrderHeads,
        // AuditLog rely on it).
        readWrite.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        readOnly.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
    }

    /** Runs {@code work} in a transaction: committed when it returns, rolled back when it throws. */
    public <T> T write(Work<T> work) {
        return readWrite.execute(status -> call(work));
    }

    /**
     * Runs {@code work} in the caller's transaction, which must be open (read committed, as ours):
     * for work whose locks must outlast the call, such as a claim held while the claimed is sent.
     */
    public <T> T mandatory(Work<T> work) {
        return mandatory.execute(status -> call(work));
    }

    /** Runs {@code work} in a read-only transaction. */
    public <T> T read(Work<T> work) {
        return readOnly.execute(status -> call(work));
    }

    private <T> T call(Work<T> work) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            return work.apply(connection);
        } catch (SQLException e) {
            RuntimeException translated = translator.translate("journal", null, e);
            throw translated != null ? translated : new IllegalStateException(e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }
}
