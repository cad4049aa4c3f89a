package io.fleetline.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One vehicle driving the {@link RoadGrid}: it pulls away from a parking place with its ignition
 * on, accelerates to a cruising speed near the street's limit, brakes in time to take corners
 * slowly or to wait at a red light, and after a trip of a few kilometres parks at a corner with its
 * ignition off for minutes to hours. A turn is a quarter circle that starts as far before the
 * corner as its radius, taken at a steady speed. Ordinary driving stays below the harsh-driving
 * thresholds of fleet telematics (0.3 g), turns included ({@value #TURN_LATERAL_MS2} m/s² of
 * lateral acceleration); a few deliberate manoeuvres go beyond them: an emergency stop at a red
 * light on a fast street ({@value #HARSH_BRAKING_MS2} m/s²), a racing start when the light turns
 * green ({@value #HARSH_ACCELERATION_MS2} m/s²), a turn taken at speed ({@value
 * #HARSH_CORNERING_MS2} m/s² of lateral acceleration), and, before some departures, standing with
 * the ignition on for more than five minutes (idling). They are recorded as {@link #manoeuvres()}.
 * The physics advances in steps of at most {@value #STEP_S} s, so the reporting interval does not
 * change how it drives. Everything random comes from the generator it is given, so a seed
 * reproduces the drive.
 */
final class VehicleMotion {

  static final double STEP_S = 0.25;

  /**
   * Largest braking of ordinary driving within a physics step, m/s² (comfortable braking, kept over
   * a second, is at most {@value #MAX_COMFORT_BRAKING_MS2}).
   */
  static final double MAX_BRAKING_MS2 = 4.5;

  static final double MAX_COMFORT_BRAKING_MS2 = 3.0;

  /** Largest acceleration of the liveliest driver in ordinary driving, m/s². */
  static final double MAX_ACCELERATION_MS2 = 2.2;

  /** Braking of an emergency stop, m/s². */
  static final double HARSH_BRAKING_MS2 = 6.0;

  /** Acceleration of a racing start, m/s². */
  static final double HARSH_ACCELERATION_MS2 = 4.5;

  /** Only on streets this fast does a red light sometimes make an emergency stop. */
  static final double HARSH_STOP_MIN_CRUISE_KMH = 50;

  static final double HARSH_STOP_CHANCE = 0.25;
  static final double HARSH_START_CHANCE = 0.2;
  static final double IDLE_CHANCE = 0.3;
  static final Duration MIN_IDLING = Duration.ofSeconds(330);
  static final Duration MAX_IDLING = Duration.ofSeconds(540);

  static final double TURN_SPEED_KMH = 18;

  /** Lateral acceleration of an ordinary turn at most, m/s². */
  static final double TURN_LATERAL_MS2 = 2.0;

  /** Lateral acceleration of a turn taken at speed, m/s². */
  static final double HARSH_CORNERING_MS2 = 5.0;

  /**
   * A turn taken at speed is at most this fast, and only on streets cruised at {@value
   * #HARSH_CORNER_MIN_CRUISE_KMH} km/h or more, so that it lasts about 3 s or more.
   */
  static final double HARSH_CORNER_SPEED_KMH = 40;

  static final double HARSH_CORNER_MIN_CRUISE_KMH = 36;
  static final double HARSH_CORNER_CHANCE = 0.15;

  static final Duration MIN_PARKING = Duration.ofMinutes(6);
  static final Duration MAX_PARKING = Duration.ofHours(3);
  static final double MIN_TRIP_M = 1_500;
  static final double MAX_TRIP_M = 12_000;
  private static final double RED_LIGHT_CHANCE = 0.2;
  private static final double CREEP_MS = 0.5;

  enum Phase {
    DRIVING,
    WAITING,
    /** Standing with the ignition on before pulling away. */
    IDLING,
    PARKED
  }

  /**
   * A deliberate manoeuvre: {@code idling} (standing, ignition on), {@code harsh_braking}, {@code
   * harsh_acceleration} or {@code harsh_cornering}, from its first to its last moment; {@code open}
   * when still going on at the last sample; {@code direction} of a cornering {@code left} or {@code
   * right}, null for the others.
   */
  record Manoeuvre(
      String kind, Instant startedAt, Instant endedAt, boolean open, String direction) {}

  /**
   * A turn in progress: a quarter circle of {@code radiusM} around a centre, from {@code
   * fromHeadingDeg} turning by {@code turnDeg} (positive to the right).
   */
  private record Arc(
      double centreX, double centreY, double radiusM, int fromHeadingDeg, int turnDeg) {}

  private enum Plan {
    STRAIGHT,
    TURN,
    STOP_AT_LIGHT,
    PARK
  }

  private final RoadGrid grid;
  private final RandomGenerator random;
  private final double accelerationMs2;
  private final double comfortBrakingMs2;
  private final double speedFactor;

  private Instant now;
  private double xM;
  private double yM;
  private int headingDeg;
  private double speedMs;
  private double odometerM;
  private Phase phase;
  private double waitLeftS;
  private double tripLeftM;
  private Plan plan;
  private int turnDeg;
  private boolean harshTurn;
  private Arc arc;
  private double arcTurnedRad;

  // the trip in progress, or the last one while parked
  private final List<DrivenTrip> trips = new ArrayList<>();
  private Instant tripStartedAt;
  private double tripStartX;
  private double tripStartY;
  private double tripDistanceM;
  private double tripMaxSpeedMs;
  private boolean tripStartedInRun;
  private DrivenTrip lastEnded;
  private Instant parkedSince;

  private final List<Manoeuvre> manoeuvres = new ArrayList<>();
  private boolean emergencyStop;
  private boolean racingStart;
  private String episodeKind;
  private Instant episodeSince;
  private String episodeDirection;

  VehicleMotion(RoadGrid grid, RandomGenerator random, Instant start) {
    this.grid = grid;
    this.random = random;
    this.now = start;
    this.accelerationMs2 = 1.2 + random.nextDouble() * (MAX_ACCELERATION_MS2 - 1.2);
    this.comfortBrakingMs2 = 2.0 + random.nextDouble() * (MAX_COMFORT_BRAKING_MS2 - 2.0);
    this.speedFactor = 0.85 + random.nextDouble() * 0.2;
    int blocks = grid.blocks();
    do {
      xM = (random.nextInt(2 * blocks + 1) - blocks) * grid.blockM();
      yM = (random.nextInt(2 * blocks + 1) - blocks) * grid.blockM();
    } while (Math.hypot(xM, yM) > grid.radiusM());
    headingDeg = 90 * random.nextInt(4);
    odometerM = (5_000 + random.nextInt(200_000)) * 1000.0;
    if (random.nextDouble() < 0.4) {
      // Parked when the run starts, for up to half an hour more.
      phase = Phase.PARKED;
      waitLeftS = random.nextDouble() * 1800;
      parkedSince = start;
    } else {
      phase = Phase.DRIVING;
      startTrip(false);
      plan = choosePlan();
    }
  }

  /** Advances the vehicle by {@code step} of simulated time. */
  void advance(Duration step) {
    double left = step.toNanos() / 1e9;
    while (left > 1e-9) {
      double dt = Math.min(STEP_S, left);
      // What happens in a step is stamped with the step's end.
      now = now.plusNanos(Math.round(dt * 1e9));
      tick(dt);
      left -= dt;
    }
  }

  private void tick(double dt) {
    switch (phase) {
      case PARKED -> {
        waitLeftS -= dt;
        if (waitLeftS <= 0) {
          if (random.nextDouble() < IDLE_CHANCE) {
            // The ignition goes on, but the driver takes minutes to pull away.
            phase = Phase.IDLING;
            waitLeftS =
                MIN_IDLING.toSeconds()
                    + random.nextDouble() * (MAX_IDLING.toSeconds() - MIN_IDLING.toSeconds());
            beginEpisode("idling", now.minusNanos(Math.round(dt * 1e9)));
          } else {
            phase = Phase.DRIVING;
            startTrip(true);
            plan = choosePlan();
          }
        }
      }
      case IDLING -> {
        waitLeftS -= dt;
        if (waitLeftS <= 0) {
          endEpisode(now.minusNanos(Math.round(dt * 1e9)));
          phase = Phase.DRIVING;
          startTrip(true);
          plan = choosePlan();
        }
      }
      case WAITING -> {
        waitLeftS -= dt;
        if (waitLeftS <= 0) {
          phase = Phase.DRIVING;
          racingStart = random.nextDouble() < HARSH_START_CHANCE;
          plan = choosePlan();
        }
      }
      case DRIVING -> drive(dt);
    }
  }

  private void drive(double dt) {
    if (arc != null) {
      turn(dt);
      return;
    }
    double toCorner = distanceToNextCorner();
    double cruiseMs = grid.limitKmh(headingDeg % 180 == 0 ? xM : yM) * speedFactor / 3.6;
    double cornerMs =
        switch (plan) {
          case STRAIGHT -> cruiseMs;
          case TURN ->
              harshTurn ? Math.min(cruiseMs, HARSH_CORNER_SPEED_KMH / 3.6) : TURN_SPEED_KMH / 3.6;
          case STOP_AT_LIGHT, PARK -> 0;
        };
    double toStop = toStop(toCorner, cornerMs);
    // The fastest speed v that, driven for this step and then braked comfortably (b), still gets
    // down to the corner speed vc where the turn or the stop begins: v·dt + (v² − vc²)/2b = d.
    // An emergency stop brakes late and hard.
    double b = emergencyStop ? HARSH_BRAKING_MS2 : comfortBrakingMs2;
    double brakingLimit =
        -b * dt + Math.sqrt(b * b * dt * dt + 2 * b * toStop + cornerMs * cornerMs);
    double wanted = Math.max(Math.min(cruiseMs, brakingLimit), Math.min(CREEP_MS, cruiseMs));
    Instant stepStart = now.minusNanos(Math.round(dt * 1e9));
    if (speedMs < wanted) {
      if (racingStart && episodeKind == null) {
        beginEpisode("harsh_acceleration", stepStart);
      }
      double a = racingStart ? HARSH_ACCELERATION_MS2 : accelerationMs2;
      speedMs = Math.min(wanted, speedMs + a * dt);
      if (racingStart && speedMs >= wanted) {
        racingStart = false;
        endEpisode(now);
      }
    } else {
      if (racingStart) {
        // Up to speed, or the next corner comes first: the racing start is over.
        racingStart = false;
        if ("harsh_acceleration".equals(episodeKind)) {
          endEpisode(stepStart);
        }
      }
      if (emergencyStop && speedMs > wanted && episodeKind == null) {
        beginEpisode("harsh_braking", stepStart);
      }
      speedMs = Math.max(wanted, speedMs - Math.max(b, MAX_BRAKING_MS2) * dt);
    }
    toStop = toStop(toCorner, cornerMs); // at the speed now reached
    double metres = speedMs * dt;
    if (plan == Plan.TURN && metres >= toStop) {
      move(toStop);
      // The rest of the step is spent in the turn.
      double restS = speedMs > 0 ? dt - toStop / speedMs : 0;
      beginTurn(toCorner - toStop, now.minusNanos(Math.round(restS * 1e9)));
      if (arc != null && restS > 1e-9) {
        turn(restS);
      }
    } else if (metres >= toCorner) {
      move(toCorner);
      atCorner();
    } else {
      move(metres);
    }
    tripMaxSpeedMs = Math.max(tripMaxSpeedMs, speedMs);
  }

  /**
   * How far ahead the turn or stop begins: a turn begins as far before the corner as its radius,
   * v²/a at the speed it is taken.
   */
  private double toStop(double toCorner, double cornerMs) {
    if (plan != Plan.TURN) {
      return toCorner;
    }
    double lateralMs2 = harshTurn ? HARSH_CORNERING_MS2 : TURN_LATERAL_MS2;
    return Math.max(0, toCorner - Math.pow(Math.min(speedMs, cornerMs), 2) / lateralMs2);
  }

  /**
   * Starts the quarter circle into the next street, {@code radiusM} before the corner, at a speed
   * that keeps an ordinary turn within its lateral acceleration.
   */
  private void beginTurn(double radiusM, Instant at) {
    if (racingStart) {
      racingStart = false;
      if ("harsh_acceleration".equals(episodeKind)) {
        endEpisode(at);
      }
    }
    if (radiusM < 0.5) {
      // Creeping round the corner: no turn to speak of.
      headingDeg = Math.floorMod(headingDeg + turnDeg, 360);
      plan = choosePlan();
      return;
    }
    boolean harsh = harshTurn;
    double maxLateralMs2 = harsh ? HARSH_CORNERING_MS2 * 1.5 : TURN_LATERAL_MS2;
    speedMs = Math.min(speedMs, Math.sqrt(maxLateralMs2 * radiusM));
    int side = Integer.signum(turnDeg);
    // The centre lies radiusM to the side the vehicle turns to.
    arc =
        new Arc(
            xM + side * radiusM * dy(headingDeg),
            yM - side * radiusM * dx(headingDeg),
            radiusM,
            headingDeg,
            turnDeg);
    arcTurnedRad = 0;
    if (harsh) {
      beginEpisode("harsh_cornering", at, side > 0 ? "right" : "left");
    }
  }

  /** Drives on along the turn at a steady speed; at its end, on along the new street. */
  private void turn(double dt) {
    double quarter = Math.PI / 2;
    double step = Math.min(speedMs * dt / arc.radiusM(), quarter - arcTurnedRad);
    // What is left of the step once the turn is done, driven on along the new street.
    double restS = speedMs > 0 ? dt - step * arc.radiusM() / speedMs : 0;
    arcTurnedRad += step;
    double headingRad = Math.toRadians(arcHeadingDeg());
    int side = Integer.signum(arc.turnDeg());
    xM = arc.centreX() - side * arc.radiusM() * Math.cos(headingRad);
    yM = arc.centreY() + side * arc.radiusM() * Math.sin(headingRad);
    travelled(step * arc.radiusM());
    tripMaxSpeedMs = Math.max(tripMaxSpeedMs, speedMs);
    if (arcTurnedRad >= quarter - 1e-9) {
      headingDeg = Math.floorMod(arc.fromHeadingDeg() + arc.turnDeg(), 360);
      arc = null;
      // On the new street, against rounding drift.
      if (headingDeg % 180 == 0) {
        xM = Math.round(xM / grid.blockM()) * grid.blockM();
      } else {
        yM = Math.round(yM / grid.blockM()) * grid.blockM();
      }
      if ("harsh_cornering".equals(episodeKind)) {
        endEpisode(now.minusNanos(Math.round(restS * 1e9)));
      }
      plan = choosePlan();
      if (restS > 1e-9) {
        drive(restS);
      }
    }
  }

  private double arcHeadingDeg() {
    return arc.fromHeadingDeg() + Integer.signum(arc.turnDeg()) * Math.toDegrees(arcTurnedRad);
  }

  /** The direction of travel now, degrees clockwise from north; between streets in a turn. */
  double headingDeg() {
    return arc == null
        ? headingDeg
        : Math.floorMod(Math.round(arcHeadingDeg() * 1e6), 360_000_000L) / 1e6;
  }

  private void atCorner() {
    switch (plan) {
      case PARK -> {
        speedMs = 0;
        endTrip();
        phase = Phase.PARKED;
        waitLeftS = logUniform(MIN_PARKING.toSeconds(), MAX_PARKING.toSeconds());
        return;
      }
      case STOP_AT_LIGHT -> {
        speedMs = 0;
        if (emergencyStop) {
          emergencyStop = false;
          if ("harsh_braking".equals(episodeKind)) {
            endEpisode(now);
          }
        }
        phase = Phase.WAITING;
        waitLeftS = 10 + random.nextDouble() * 50;
        headingDeg = Math.floorMod(headingDeg + turnDeg, 360); // facing where it goes on green
      }
      case TURN -> headingDeg = Math.floorMod(headingDeg + turnDeg, 360);
      case STRAIGHT -> {}
    }
    if (phase == Phase.DRIVING) {
      plan = choosePlan();
    }
  }

  /** Decides what to do at the next corner, early enough to brake for it. */
  private Plan choosePlan() {
    if (tripLeftM <= 0) {
      return Plan.PARK;
    }
    turnDeg = 0;
    double ahead = distanceToNextCorner();
    double nx = xM + dx(headingDeg) * ahead;
    double ny = yM + dy(headingDeg) * ahead;
    if (Math.hypot(nx, ny) > grid.radiusM() - grid.blockM() / 2) {
      turnDeg = turnTowardsCentre(nx, ny);
    } else {
      double r = random.nextDouble();
      turnDeg = r < 0.2 ? -90 : r < 0.4 ? 90 : 0;
    }
    double cruiseKmh = grid.limitKmh(headingDeg % 180 == 0 ? xM : yM) * speedFactor;
    harshTurn = false;
    if (random.nextDouble() < RED_LIGHT_CHANCE) {
      // A red light: stop, then turn (or go on) from standstill; on a fast street, now and then
      // the driver notices it late.
      emergencyStop =
          cruiseKmh >= HARSH_STOP_MIN_CRUISE_KMH && random.nextDouble() < HARSH_STOP_CHANCE;
      return Plan.STOP_AT_LIGHT;
    }
    if (turnDeg == 0) {
      return Plan.STRAIGHT;
    }
    // Now and then the driver takes the turn without slowing down much, where the block leaves
    // room for the wider circle.
    harshTurn =
        cruiseKmh >= HARSH_CORNER_MIN_CRUISE_KMH
            && grid.blockM() >= 4 * Math.pow(HARSH_CORNER_SPEED_KMH / 3.6, 2) / HARSH_CORNERING_MS2
            && random.nextDouble() < HARSH_CORNER_CHANCE;
    return Plan.TURN;
  }

  private int turnTowardsCentre(double nx, double ny) {
    int best = 0;
    double bestDistance = Double.MAX_VALUE;
    for (int turn : new int[] {0, -90, 90}) {
      int h = Math.floorMod(headingDeg + turn, 360);
      double d = Math.hypot(nx + dx(h) * grid.blockM(), ny + dy(h) * grid.blockM());
      if (d < bestDistance - 1e-6) {
        bestDistance = d;
        best = turn;
      }
    }
    return best;
  }

  private double distanceToNextCorner() {
    double along = headingDeg % 180 == 0 ? yM : xM;
    boolean positive = headingDeg == 0 || headingDeg == 90;
    double block = grid.blockM();
    double next =
        positive
            ? Math.floor(along / block + 1e-9) * block + block
            : Math.ceil(along / block - 1e-9) * block - block;
    return Math.abs(next - along);
  }

  private void move(double metres) {
    xM += dx(headingDeg) * metres;
    yM += dy(headingDeg) * metres;
    // Snap onto the street, against rounding drift.
    if (headingDeg % 180 == 0) {
      xM = Math.round(xM / grid.blockM()) * grid.blockM();
    } else {
      yM = Math.round(yM / grid.blockM()) * grid.blockM();
    }
    travelled(metres);
  }

  private void travelled(double metres) {
    odometerM += metres;
    tripDistanceM += metres;
    tripLeftM -= metres;
  }

  private static int dx(int heading) {
    return heading == 90 ? 1 : heading == 270 ? -1 : 0;
  }

  private static int dy(int heading) {
    return heading == 0 ? 1 : heading == 180 ? -1 : 0;
  }

  private double logUniform(double min, double max) {
    return Math.exp(Math.log(min) + random.nextDouble() * (Math.log(max) - Math.log(min)));
  }

  private void startTrip(boolean inRun) {
    if (lastEnded != null && parkedSince != null) {
      trips.set(trips.size() - 1, withParking(lastEnded, now));
    }
    lastEnded = null;
    parkedSince = null;
    tripStartedAt = now;
    tripStartX = xM;
    tripStartY = yM;
    tripDistanceM = 0;
    tripMaxSpeedMs = 0;
    tripStartedInRun = inRun;
    tripLeftM = logUniform(MIN_TRIP_M, MAX_TRIP_M);
  }

  private void endTrip() {
    lastEnded =
        new DrivenTrip(
            tripStartedAt,
            now,
            grid.latitude(tripStartY),
            grid.longitude(tripStartX),
            grid.latitude(yM),
            grid.longitude(xM),
            tripDistanceM,
            tripMaxSpeedMs * 3.6,
            0,
            tripStartedInRun,
            false);
    trips.add(lastEnded);
    parkedSince = now;
  }

  private DrivenTrip withParking(DrivenTrip t, Instant until) {
    return new DrivenTrip(
        t.startedAt(),
        t.endedAt(),
        t.startLat(),
        t.startLon(),
        t.endLat(),
        t.endLon(),
        t.distanceM(),
        t.maxSpeedKmh(),
        Duration.between(t.endedAt(), until).toSeconds(),
        t.startedInRun(),
        false);
  }

  /**
   * The trips driven so far, ending with the one in progress (marked open) when the vehicle is
   * driving; a parked vehicle's last trip counts its parking up to now.
   */
  List<DrivenTrip> trips() {
    List<DrivenTrip> all = new ArrayList<>(trips);
    if (phase == Phase.DRIVING || phase == Phase.WAITING) {
      all.add(
          new DrivenTrip(
              tripStartedAt,
              now,
              grid.latitude(tripStartY),
              grid.longitude(tripStartX),
              grid.latitude(yM),
              grid.longitude(xM),
              tripDistanceM,
              tripMaxSpeedMs * 3.6,
              0,
              tripStartedInRun,
              true));
    } else if (lastEnded != null) {
      all.set(all.size() - 1, withParking(lastEnded, now));
    }
    return all;
  }

  private void beginEpisode(String kind, Instant at) {
    beginEpisode(kind, at, null);
  }

  private void beginEpisode(String kind, Instant at, String direction) {
    episodeKind = kind;
    episodeSince = at;
    episodeDirection = direction;
  }

  private void endEpisode(Instant at) {
    manoeuvres.add(new Manoeuvre(episodeKind, episodeSince, at, false, episodeDirection));
    episodeKind = null;
    episodeSince = null;
    episodeDirection = null;
  }

  /** The deliberate manoeuvres so far, ending with the one going on now (marked open), if any. */
  List<Manoeuvre> manoeuvres() {
    List<Manoeuvre> all = new ArrayList<>(manoeuvres);
    if (episodeKind != null) {
      all.add(new Manoeuvre(episodeKind, episodeSince, now, true, episodeDirection));
    }
    return all;
  }

  /** The tracker's report now: the true state plus GPS noise and, rarely, an outlier. */
  Reading reading(RandomGenerator gps, double noiseM, double jumpRatio) {
    double lat = grid.latitude(yM);
    double lon = grid.longitude(xM);
    double accuracyM = Math.max(1, noiseM * (1 + 0.5 * Math.abs(gps.nextGaussian())));
    double northM = gps.nextGaussian() * noiseM;
    double eastM = gps.nextGaussian() * noiseM;
    boolean jump = gps.nextDouble() < jumpRatio;
    if (jump) {
      double bearing = gps.nextDouble() * 2 * Math.PI;
      double distance = 100 + gps.nextDouble() * 300;
      northM = Math.cos(bearing) * distance;
      eastM = Math.sin(bearing) * distance;
      accuracyM = 50 + gps.nextDouble() * 100;
    }
    double speedKmh = speedMs <= 0 ? 0 : Math.max(0, speedMs * 3.6 + gps.nextGaussian() * 0.5);
    double heading = phase == Phase.DRIVING ? headingDeg() + gps.nextGaussian() * 2 : headingDeg;
    return new Reading(
        now,
        lat + northM / RoadGrid.METRES_PER_DEGREE_LAT,
        lon + eastM / grid.metresPerDegreeLon(),
        speedKmh,
        Math.floorMod(Math.round(heading * 10), 3600) / 10.0,
        35 + 8 * Math.sin(xM / 900) * Math.cos(yM / 1300),
        accuracyM,
        odometerM / 1000,
        phase != Phase.PARKED,
        jump);
  }

  Instant now() {
    return now;
  }

  Phase phase() {
    return phase;
  }

  double speedKmh() {
    return speedMs * 3.6;
  }

  double trueLatitude() {
    return grid.latitude(yM);
  }

  double trueLongitude() {
    return grid.longitude(xM);
  }

  double odometerM() {
    return odometerM;
  }
}
