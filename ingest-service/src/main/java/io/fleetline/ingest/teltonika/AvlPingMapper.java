package io.fleetline.ingest.teltonika;

import io.fleetline.common.Diagnostics;
import io.fleetline.common.Measurements;
import io.fleetline.ingest.validation.PingCandidate;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns an AVL record into a ping candidate: the GPS element becomes the position, fleet-relevant
 * IO elements (Teltonika's AVL id list) become named fields and attributes in SI-friendly units,
 * the vehicle's health among them also its {@link Diagnostics}, and every other IO element is kept
 * as attribute {@code io<id>}.
 */
final class AvlPingMapper {

  static final int IO_TOTAL_ODOMETER_M = 16;
  static final int IO_GSM_SIGNAL = 21;
  static final int IO_OBD_FUEL_LEVEL_PCT = 48;
  static final int IO_EXTERNAL_VOLTAGE_MV = 66;
  static final int IO_BATTERY_VOLTAGE_MV = 67;
  static final int IO_BATTERY_CURRENT_MA = 68;
  static final int IO_GNSS_STATUS = 69;
  static final int IO_CAN_FUEL_LEVEL_PCT = 89;
  static final int IO_BATTERY_LEVEL_PCT = 113;
  static final int IO_TRIP_ODOMETER_M = 199;
  static final int IO_IGNITION = 239;
  static final int IO_MOVEMENT = 240;

  /** OBD fault codes, Codec 8E's variable-length text: comma-separated, e.g. "P0100,U0100". */
  static final int IO_FAULT_CODES = 281;

  /** At most this many fault codes are kept of one record, each a letter and four hex digits. */
  static final int MAX_FAULT_CODES = 32;

  private static final Pattern FAULT_CODE = Pattern.compile("[PCBU][0-9A-F]{4}");

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
    Double externalVoltageV = null;
    Double batteryVoltageV = null;
    Double batteryCurrentA = null;
    Double batteryLevelPct = null;
    Boolean moving = null;
    Integer gsmSignal = null;
    Double canFuelPct = null;
    Double obdFuelPct = null;
    List<String> faultCodes = null;
    for (Map.Entry<Integer, Number> io : r.numbers().entrySet()) {
      int id = io.getKey();
      Number value = io.getValue();
      // Values keep their former attribute names too, for clients that read them there.
      switch (id) {
        case IO_IGNITION -> ignition = value.longValue() != 0;
        case IO_MOVEMENT -> {
          moving = value.longValue() != 0;
          attributes.put("movement", moving);
        }
        case IO_TOTAL_ODOMETER_M -> odometerKm = value.longValue() / 1000.0;
        case IO_EXTERNAL_VOLTAGE_MV -> {
          externalVoltageV = volts(value);
          attributes.put("externalVoltageV", externalVoltageV);
        }
        case IO_BATTERY_VOLTAGE_MV -> {
          batteryVoltageV = volts(value);
          attributes.put("batteryVoltageV", batteryVoltageV);
        }
        case IO_BATTERY_CURRENT_MA -> batteryCurrentA = value.longValue() / 1000.0;
        case IO_BATTERY_LEVEL_PCT -> batteryLevelPct = percent(value);
        case IO_CAN_FUEL_LEVEL_PCT -> canFuelPct = percent(value);
        case IO_OBD_FUEL_LEVEL_PCT -> obdFuelPct = percent(value);
        case IO_GNSS_STATUS -> attributes.put("gnssStatus", value);
        case IO_GSM_SIGNAL -> {
          gsmSignal = value.longValue() >= 0 && value.longValue() <= 5 ? value.intValue() : null;
          attributes.put("gsmSignal", value);
        }
        case IO_TRIP_ODOMETER_M -> attributes.put("tripOdometerM", value);
        // IO 24 (GNSS speed, km/h) stays io24: the GPS element's speed is the ping's speedKmh.
        default -> attributes.put("io" + id, value);
      }
    }
    for (Map.Entry<Integer, byte[]> io : r.variable().entrySet()) {
      if (io.getKey() == IO_FAULT_CODES) {
        faultCodes = faultCodes(io.getValue());
      } else {
        attributes.put("io" + io.getKey(), HEX.formatHex(io.getValue()));
      }
    }
    Diagnostics diagnostics =
        new Diagnostics(
            externalVoltageV,
            batteryVoltageV,
            batteryCurrentA,
            batteryLevelPct,
            null,
            moving,
            gsmSignal,
            canFuelPct != null ? canFuelPct : obdFuelPct,
            faultCodes);
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
            ignition,
            diagnostics),
        attributes);
  }

  /** A level in percent, or {@code null} when the device sent a value outside 0..100. */
  private static Double percent(Number value) {
    long pct = value.longValue();
    return pct >= 0 && pct <= 100 ? (double) pct : null;
  }

  /**
   * The codes of IO 281's ASCII text, each as the OBD standard writes it (a letter for the system,
   * four hex digits); anything else in the text (such as "No fault codes detected") is not a code.
   * An empty list when the vehicle reports none.
   */
  static List<String> faultCodes(byte[] text) {
    List<String> codes = new ArrayList<>();
    for (String part : new String(text, StandardCharsets.US_ASCII).split("[,;\\s]+")) {
      String code = part.trim().toUpperCase(Locale.ROOT);
      if (FAULT_CODE.matcher(code).matches() && !codes.contains(code)) {
        codes.add(code);
        if (codes.size() == MAX_FAULT_CODES) {
          break;
        }
      }
    }
    return codes;
  }

  private static double volts(Number millivolts) {
    return millivolts.longValue() / 1000.0;
  }
}
