package io.fleetline.simulator.truth;

import io.fleetline.common.FleetlineJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;

/**
 * What a simulator run really did, as written to its {@code --truth} directory: one JSON object per
 * line in {@value #VEHICLES}, {@value #PINGS}, {@value #INVALID}, {@value #TRIPS} and {@value
 * #MANOEUVRES}, and the run's summary in {@value #SUMMARY}. A directory written before manoeuvres
 * were recorded reads with none.
 */
public record GroundTruth(
    List<TruthVehicle> vehicles,
    List<TruthPing> pings,
    List<TruthInvalidPing> invalid,
    List<TruthTrip> trips,
    Map<String, Object> summary,
    List<TruthManoeuvre> manoeuvres) {

  public static final String VEHICLES = "vehicles.jsonl";
  public static final String PINGS = "pings.jsonl";
  public static final String INVALID = "invalid.jsonl";
  public static final String TRIPS = "trips.jsonl";
  public static final String MANOEUVRES = "manoeuvres.jsonl";
  public static final String SUMMARY = "summary.json";

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  /** Reads a truth directory written by a finished run. */
  public static GroundTruth read(Path dir) {
    Path summary = dir.resolve(SUMMARY);
    try {
      return new GroundTruth(
          lines(dir.resolve(VEHICLES), TruthVehicle.class),
          lines(dir.resolve(PINGS), TruthPing.class),
          lines(dir.resolve(INVALID), TruthInvalidPing.class),
          lines(dir.resolve(TRIPS), TruthTrip.class),
          Files.exists(summary)
              ? FleetlineJson.mapper().readValue(Files.readString(summary), MAP)
              : Map.of(),
          lines(dir.resolve(MANOEUVRES), TruthManoeuvre.class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The valid pings the platform acknowledged, which it must store exactly once. */
  public List<TruthPing> acknowledgedPings() {
    return pings.stream().filter(TruthPing::acknowledged).toList();
  }

  private static <T> List<T> lines(Path file, Class<T> type) throws IOException {
    List<T> values = new ArrayList<>();
    if (!Files.exists(file)) {
      return values;
    }
    try (BufferedReader reader = Files.newBufferedReader(file)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank()) {
          values.add(FleetlineJson.mapper().readValue(line, type));
        }
      }
    }
    return values;
  }
}
