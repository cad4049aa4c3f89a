package io.fleetline.api.position;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/**
 * Reads positions from {@code positions} and {@code latest_positions} rows (alias {@code p}), as
 * {@link PositionColumn} declares them.
 */
public final class PositionRows {

  /** The columns {@link #map} reads: {@link PositionColumn#SELECT}. */
  public static final String COLUMNS = PositionColumn.SELECT;

  private static final Constructor<PositionView> VIEW = viewConstructor();

  private PositionRows() {}

  /** Maps a row with the columns of {@link #COLUMNS}; {@code null} when it has no position. */
  public static PositionView map(ResultSet rs) throws SQLException {
    if (rs.getObject(PositionColumn.RECORDED_AT.index()) == null) {
      return null;
    }
    Object[] values = new Object[PositionColumn.ALL.size()];
    for (PositionColumn column : PositionColumn.ALL) {
      values[column.ordinal()] = column.type().read(rs, column.index());
    }
    try {
      return VIEW.newInstance(values);
    } catch (InvocationTargetException | InstantiationException | IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The canonical constructor of {@link PositionView}, whose components must be the table's columns
   * in the table's order, so that the documented shape cannot drift from what is written.
   */
  private static Constructor<PositionView> viewConstructor() {
    RecordComponent[] components = PositionView.class.getRecordComponents();
    List<String> names = Arrays.stream(components).map(RecordComponent::getName).toList();
    List<String> columns = PositionColumn.ALL.stream().map(PositionColumn::fieldName).toList();
    if (!names.equals(columns)) {
      throw new IllegalStateException(
          "PositionView's components " + names + " are not PositionColumn's " + columns);
    }
    try {
      return PositionView.class.getDeclaredConstructor(
          Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }
}
