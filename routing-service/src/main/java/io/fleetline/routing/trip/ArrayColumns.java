package io.fleetline.routing.trip;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * Rows of type {@code R} sent to one statement as one array parameter per column and turned back
 * into rows by {@code unnest(...) AS u(...)}: a statement of fixed size whatever the number of
 * rows. Each column is declared once, its name beside its type and its value, so the parameters are
 * bound in the order the statement names them.
 */
final class ArrayColumns<R> {

  /** The PostgreSQL types of columns, and how their values travel. */
  enum Type {
    UUID("uuid"),
    /** Sent as ISO-8601 text ({@link Instant#toString}), read as {@code timestamptz}. */
    TIMESTAMPTZ("timestamptz"),
    FLOAT8("float8"),
    FLOAT4("float4"),
    INT4("int4"),
    BOOL("bool"),
    TEXT("text");

    private final String sql;

    Type(String sql) {
      this.sql = sql;
    }

    String elementType() {
      return this == TIMESTAMPTZ ? "text" : sql;
    }

    Object element(Object value) {
      return this == TIMESTAMPTZ && value instanceof Instant time ? time.toString() : value;
    }
  }

  /** One column: its name in {@code u}, its type, and its value in a row. */
  record Column<R>(String name, Type type, Function<R, ?> value) {}

  private final List<Column<R>> columns;

  @SafeVarargs
  ArrayColumns(Column<R>... columns) {
    this.columns = List.of(columns);
  }

  static <R> Column<R> column(String name, Type type, Function<R, ?> value) {
    return new Column<>(name, type, value);
  }

  /** {@code unnest(?::uuid[], ...) AS u(id, ...)}, for the statement's FROM. */
  String unnest() {
    StringJoiner parameters = new StringJoiner(", ", "unnest(", ")");
    StringJoiner names = new StringJoiner(", ", " AS u(", ")");
    for (Column<R> column : columns) {
      parameters.add("?::" + column.type().sql + "[]");
      names.add(column.name());
    }
    return parameters + names.toString();
  }

  /** Runs {@code sql}, whose {@link #unnest} is the only parameters, for these rows. */
  void execute(Connection c, String sql, List<R> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < columns.size(); i++) {
        Column<R> column = columns.get(i);
        Object[] values = new Object[rows.size()];
        for (int r = 0; r < values.length; r++) {
          values[r] = column.type().element(column.value().apply(rows.get(r)));
        }
        s.setArray(i + 1, c.createArrayOf(column.type().elementType(), values));
      }
      s.executeUpdate();
    }
  }
}
