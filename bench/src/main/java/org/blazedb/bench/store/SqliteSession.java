package org.blazedb.bench.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One benchmark thread's SQLite connection (the harness's settings: WAL, {@code synchronous=FULL})
 * with one statement prepared; a JMH thread state's subclass opens it in its setup, and it is closed
 * after the trial.
 */
public abstract class SqliteSession {
    Connection connection;
    PreparedStatement statement;

    /** @param db the database file @param sql the statement to prepare */
    void open(Path db, String sql) throws Exception {
        connection = StoreVsSqlite.sqlite(db);
        statement = connection.prepareStatement(sql);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        connection.close();
    }
}
