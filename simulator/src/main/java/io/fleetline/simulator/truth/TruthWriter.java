package io.fleetline.simulator.truth;

import io.fleetline.common.FleetlineJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a run's ground truth as JSON lines, one file per kind (see {@link GroundTruth}); safe to
 * call from several threads. {@link #none()} writes nothing, for runs without {@code --truth}.
 */
public final class TruthWriter implements AutoCloseable {

  private final Path dir;
  private final BufferedWriter vehicles;
  private final BufferedWriter pings;
  private final BufferedWriter invalid;
  private final BufferedWriter trips;
  private final BufferedWriter manoeuvres;

  private TruthWriter(Path dir) throws IOException {
    this.dir = dir;
    if (dir == null) {
      vehicles = pings = invalid = trips = manoeuvres = null;
      return;
    }
    Files.createDirectories(dir);
    vehicles = Files.newBufferedWriter(dir.resolve(GroundTruth.VEHICLES));
    pings =
        new BufferedWriter(
            new java.io.OutputStreamWriter(
                Files.newOutputStream(dir.resolve(GroundTruth.PINGS)),
                java.nio.charset.StandardCharsets.UTF_8),
            1 << 16);
    invalid = Files.newBufferedWriter(dir.resolve(GroundTruth.INVALID));
    trips = Files.newBufferedWriter(dir.resolve(GroundTruth.TRIPS));
    manoeuvres = Files.newBufferedWriter(dir.resolve(GroundTruth.MANOEUVRES));
  }

  /** A writer into {@code dir}, whose files it replaces. */
  public static TruthWriter into(Path dir) {
    try {
      return new TruthWriter(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static TruthWriter none() {
    return into(null);
  }

  public boolean enabled() {
    return dir != null;
  }

  public Path dir() {
    return dir;
  }

  public void vehicle(TruthVehicle vehicle) {
    write(vehicles, vehicle);
  }

  public void ping(TruthPing ping) {
    write(pings, ping);
  }

  public void invalid(TruthInvalidPing ping) {
    write(invalid, ping);
  }

  public void trip(TruthTrip trip) {
    write(trips, trip);
  }

  public void manoeuvre(TruthManoeuvre manoeuvre) {
    write(manoeuvres, manoeuvre);
  }

  /** Writes the run's summary, the last thing a run does. */
  public void summary(Map<String, Object> summary) {
    if (dir == null) {
      return;
    }
    try {
      Files.writeString(
          dir.resolve(GroundTruth.SUMMARY),
          FleetlineJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(summary));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void write(BufferedWriter out, Object value) {
    if (out == null) {
      return;
    }
    String line = FleetlineJson.mapper().writeValueAsString(value);
    synchronized (out) {
      try {
        out.write(line);
        out.write('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Pushes what was written so far to the files, so that a long run can be followed. */
  public void flush() {
    if (dir == null) {
      return;
    }
    try {
      for (BufferedWriter out :
          new BufferedWriter[] {vehicles, pings, invalid, trips, manoeuvres}) {
        synchronized (out) {
          out.flush();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (dir == null) {
      return;
    }
    try {
      for (BufferedWriter out :
          new BufferedWriter[] {vehicles, pings, invalid, trips, manoeuvres}) {
        synchronized (out) {
          out.close();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
