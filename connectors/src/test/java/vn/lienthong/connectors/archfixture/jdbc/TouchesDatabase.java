package vn.lienthong.connectors.archfixture.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** A deliberate connector that touches a database, to show that the no-JDBC rule fails on one. */
public final class TouchesDatabase {

    /** What a connector must never do. */
    public boolean closed(Connection connection) throws SQLException {
        return connection.isClosed();
    }
}
