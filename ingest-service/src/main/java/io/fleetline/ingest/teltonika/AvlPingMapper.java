package io.fleetline.ingest.teltonika;

import io.fleetline.common.Measurements;
import io.fleetline.ingest.validation.PingCandidate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns an AVL record into a ping candidate: the GPS element becomes the position, fleet-relevant
 * IO elements (Teltonika's AVL id list) become named fields and attributes in SI-friendly units,
 * and every other IO element is kept as attribute {@code io<id>}.
 */
final class AvlPingMapper {

  static final int IO_TOTAL_ODOMETER_M = 16;
  static final int IO_GSM_SIGNAL = 21;
  static final int IO_EXTERNAL_VOLTAGE_MV = 66;
  static final int IO_BATTERY_VOLTAGE_MV = 67;
  static final int IO_GNSS_STATUS = 69;
  static final int IO_TRIP_ODOMETER_M = 199;
  static final int IO_IGNITION = 239;
  static final int IO_MOVEMENT = 240;

  private static final HexFormat HEX = HexFormat.of();

  private AvlPingMapper() {}

  static PingCandidate toCandidate(AvlRecord r) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("satellites", r.satellites());
    attributes.put("priority", r.priority());
    if (r.eventIoId() != 0) {
      attributes.put("eventIoId", r.eventIoId());
    }
    Boolean ignition = null;
    Double odometerKm = null;
    for (Map.Entry<Integer, Number> io : r.numbers().entrySet()) {
      int id = io.getKey();
      Number value = io.getValue();
      switch (id) {
        case IO_IGNITION -> ignition = value.longValue() != 0;
        case IO_MOVEMENT -> attributes.put("movement", value.longValue() != 0);
        case IO_TOTAL_ODOMETER_M -> odometerKm = value.longValue() / 1000.0;
        case IO_EXTERNAL_VOLTAGE_MV -> attributes.put("externalVoltageV", volts(value));
        case IO_BATTERY_VOLTAGE_MV -> attributes.put("batteryVoltageV", volts(value));
        case IO_GNSS_STATUS -> attributes.put("gnssStatus", value);
        case IO_GSM_SIGNAL -> attributes.put("gsmSignal", value);
        case IO_TRIP_ODOMETER_M -> attributes.put("tripOdometerM", value);
        // IO 24 (GNSS speed, km/h) stays io24: the GPS element's speed is the ping's speedKmh.
        default -> attributes.put("io" + id, value);
      }
    }
    for (Map.Entry<Integer, byte[]> io : r.variable().entrySet()) {
      attributes.put("io" + io.getKey(), HEX.formatHex(io.getValue()));
    }
    return new PingCandidate(
        r.recordedAt(),
        new Measurements(
            r.latitudeE7() / 1e7,
            r.longitudeE7() / 1e7,
            (double) r.speedKmh(),
            (double) r.angleDeg(),
            (double) r.altitudeM(),
            null,
            odometerKm,
            ignition),
        attributes);
  }

  private static double volts(Number millivolts) {
    return millivolts.longValue() / 1000.0;
  }
}
