package dev.atrium.index;

import dev.atrium.query.PersonNameKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Migration 7: person names stored before matching ignored accents ({@link PersonNameKey}) get their matching key
 * again, so that a name stored before and one stored after are found alike. Only rows whose key changes (a name
 * with an accented Latin letter) are written. Patients and studies are far fewer than instances, and extended PN
 * values are one per level entity.
 */
final class PersonNameKeysMigration implements JavaMigration {
  /** A table's person name column, the key column matched in its place, and the columns that find its row. */
  private record NameColumn(String table, String keyColumns, String name, String key) {}

  private static final NameColumn[] COLUMNS = {
      new NameColumn("patient", "pk", "patient_name", "patient_name_norm"),
      new NameColumn("study", "pk", "referring_physician_name", "referring_physician_norm"),
      new NameColumn("ext_value_person_name", "tag_key, level_pk", "tag_value", "tag_value_norm"),
  };
  private static final int BATCH = 500;

  @Override
  public MigrationVersion getVersion() {
    return MigrationVersion.fromVersion("7");
  }

  @Override
  public String getDescription() {
    return "person name keys ignore Latin accents";
  }

  @Override
  public Integer getChecksum() {
    return 7;
  }

  @Override
  public boolean canExecuteInTransaction() {
    return true;
  }

  @Override
  public void migrate(Context context) throws SQLException {
    Connection connection = context.getConnection();
    for (NameColumn column : COLUMNS) rekey(connection, column);
  }

  private static void rekey(Connection connection, NameColumn c) throws SQLException {
    String[] keys = c.keyColumns().split(", ");
    String where = String.join(" = ? and ", keys) + " = ?";
    try (PreparedStatement select = connection.prepareStatement("select " + c.keyColumns() + ", " + c.name() + ", "
             + c.key() + " from " + c.table() + " where " + c.name() + " is not null");
         PreparedStatement update = connection.prepareStatement("update " + c.table() + " set " + c.key()
             + " = ? where " + where)) {
      select.setFetchSize(BATCH);
      int pending = 0;
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          String name = rows.getString(keys.length + 1);
          String key = InstanceIndex.normalizeName(name);
          if (key.equals(rows.getString(keys.length + 2))) continue;
          update.setString(1, key);
          for (int k = 0; k < keys.length; k++) update.setLong(k + 2, rows.getLong(k + 1));
          update.addBatch();
          if (++pending % BATCH == 0) update.executeBatch();
        }
      }
      if (pending % BATCH != 0) update.executeBatch();
    }
  }
}
