package dev.atrium.index;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Param;
import org.jooq.Query;
import org.jooq.impl.DSL;
import org.jooq.exception.DataAccessException;

/**
 * A statement jOOQ builds and renders once (typed against the generated schema, in the index's
 * dialect) and JDBC then runs with positional values: jOOQ as the SQL builder only. For the few
 * statements every stored instance runs, where rendering and jOOQ's execution layer took about
 * half of the index writer's CPU and most of what the JIT had to compile before ingest got fast.
 * Each execution prepares on the transaction's connection: H2 finds the statement in its query
 * cache, and the MariaDB driver prepares on the client, without a round trip to the server.
 */
final class RenderedSql {
  /** Reads the current row of a result. */
  @FunctionalInterface
  interface RowReader<T> {
    T read(ResultSet row) throws SQLException;
  }

  private final String sql;

  private RenderedSql(String sql) {
    this.sql = sql;
  }

  /** Renders {@code query}; its {@link #param} placeholders become positional {@code ?}. */
  static RenderedSql of(DSLContext dsl, Query query) {
    return new RenderedSql(dsl.render(query));
  }

  /** A placeholder of the field's type, bound at execution in order of appearance. */
  static <T> Param<T> param(Field<T> like) {
    return DSL.param(like.getName(), like.getDataType());
  }

  int update(Connection connection, Object... values) {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      bind(statement, values);
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  /** Inserts one row and returns its generated key. */
  long insertReturningKey(Connection connection, Object... values) {
    try (PreparedStatement statement = connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
      bind(statement, values);
      statement.executeUpdate();
      try (ResultSet keys = statement.getGeneratedKeys()) {
        if (!keys.next()) throw new DataAccessException("no generated key for: " + sql);
        return keys.getLong(1);
      }
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  /** Runs the statement once per row of values, as one JDBC batch. */
  void batch(Connection connection, List<Object[]> rows) {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (Object[] values : rows) {
        bind(statement, values);
        statement.addBatch();
      }
      statement.executeBatch();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  /** Every row, each read by {@code reader}, in the order the statement gives them. */
  <T> List<T> list(Connection connection, RowReader<T> reader, Object... values) {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      bind(statement, values);
      try (ResultSet rows = statement.executeQuery()) {
        List<T> read = new ArrayList<>();
        while (rows.next()) read.add(reader.read(rows));
        return read;
      }
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  /** The first row read by {@code reader}, or null when there is none. */
  <T> T first(Connection connection, RowReader<T> reader, Object... values) {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      bind(statement, values);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? reader.read(rows) : null;
      }
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  private static void bind(PreparedStatement statement, Object[] values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) statement.setNull(i + 1, Types.NULL);
      else statement.setObject(i + 1, values[i]);
    }
  }

  /** Keeps the SQLException as the cause: {@link Transactions} decides on a retry from its state. */
  private DataAccessException failed(SQLException e) {
    return new DataAccessException("SQL [" + sql + "]; " + e.getMessage(), e);
  }

  @Override
  public String toString() {
    return sql;
  }
}
