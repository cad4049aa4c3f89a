package io.fleetline.analytics.stream;

import io.fleetline.common.FleetlineJson;
import io.fleetline.common.Geo;
import io.fleetline.common.PingCodec;
import io.fleetline.common.VehicleEvent;
import io.fleetline.common.VehiclePing;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns one partition's pings into events, daily summaries and vehicle statuses.
 *
 * <p>Pings are held for the reorder window (event time) and applied to the detectors in event-time
 * order; a ping not newer than the last applied one arrived too late to be ordered and is ignored
 * (it is still in the history routing stores). A wall-clock punctuator applies what is held once a
 * vehicle has been silent for the reorder window, declares vehicles offline, publishes the changed
 * summaries (each at most once per summary interval after its first) and forgets closed days. It
 * reads only the vehicles and days whose time has come, found in {@link Deadlines} kept beside the
 * stores.
 */
final class VehicleAnalyzer implements Processor<String, byte[], String, byte[]> {

  static final String VEHICLE_STORE = "vehicle-state";
  static final String SUMMARY_STORE = "day-summaries";

  private final DetectionSettings settings;
  private final FleetZones zones;
  private final IgnoredPings ignored;
  private final HarshDriving harsh;
  private final PunctuationMeters punctuations;
  private final Odometer odometer;

  private ProcessorContext<String, byte[]> context;
  private KeyValueStore<String, byte[]> vehicles;
  private KeyValueStore<String, byte[]> days;
  private long now;

  /**
   * Wall-clock milliseconds when this task first ran (its stores may come from before an outage);
   * negative until then.
   */
  private long startedMs = -1;

  /** When each vehicle and each open day next needs the timer; built at the first punctuation. */
  private final Deadlines vehiclesDue = new Deadlines();

  private final Deadlines daysDue = new Deadlines();
  private boolean indexed;

  /**
   * Whether a ping processed since the last look at silent vehicles came late (more than the
   * catch-up lag after ingest received it): the task is working off a backlog.
   */
  private boolean behind;

  VehicleAnalyzer(DetectionSettings settings, FleetZones zones, MeterRegistry meters) {
    this.settings = settings;
    this.zones = zones;
    this.ignored = new IgnoredPings(meters);
    this.harsh = new HarshDriving(settings);
    this.punctuations = new PunctuationMeters(meters);
    this.odometer = new Odometer(settings);
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    this.vehicles = context.getStateStore(VEHICLE_STORE);
    this.days = context.getStateStore(SUMMARY_STORE);
    // A task that starts again (after a failure, with its stores restored) builds them afresh.
    vehiclesDue.clear();
    daysDue.clear();
    indexed = false;
    context.schedule(
        settings.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    VehiclePing ping = decode(record.value());
    if (ping == null) {
      ignored.undecodable.increment();
      return;
    }
    now = context.currentSystemTimeMs();
    started();
    if (ping.receivedAt() != null
        && now - ping.receivedAt().toEpochMilli() > settings.catchUpLag().toMillis()) {
      behind = true;
    }
    UUID vehicleId = ping.vehicleId();
    String key = vehicleId.toString();
    VehicleState state = load(key);
    state.fleetId = ping.fleetId();
    Sample sample = Sample.of(ping);
    long silentSinceMs = state.lastHeardMs;
    state.lastHeardMs = now;
    if (state.offline || state.onlineChangedAt == null) {
      if (state.offline) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("lastHeardAt", Instant.ofEpochMilli(silentSinceMs).toString());
        details.put("recordedAt", sample.recordedAt().toString());
        emit(
            event(
                VehicleEvent.DEVICE_ONLINE,
                vehicleId,
                state.fleetId,
                Instant.ofEpochMilli(now),
                Instant.ofEpochMilli(now),
                sample,
                details));
      }
      state.offline = false;
      state.onlineChangedAt = Instant.ofEpochMilli(now);
      emitStatus(vehicleId, state);
    }
    hold(state, sample);
    drain(vehicleId, state, false);
    store(key, state);
  }

  private static VehiclePing decode(byte[] value) {
    if (value == null) {
      return null;
    }
    try {
      VehiclePing ping = PingCodec.read(value);
      return ping.vehicleId() == null || ping.fleetId() == null || ping.recordedAt() == null
          ? null
          : ping;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void hold(VehicleState state, Sample sample) {
    if (state.last != null && !sample.recordedAt().isAfter(state.last.recordedAt())) {
      if (sample.recordedAt().equals(state.last.recordedAt())) {
        ignored.duplicate.increment();
      } else {
        ignored.outOfOrder.increment();
      }
      return;
    }
    List<Sample> pending = state.pending;
    int at = pending.size();
    while (at > 0 && pending.get(at - 1).recordedAt().isAfter(sample.recordedAt())) {
      at--;
    }
    if (at > 0 && pending.get(at - 1).recordedAt().equals(sample.recordedAt())) {
      ignored.duplicate.increment();
      return;
    }
    pending.add(at, sample);
    if (state.newestRecordedAt == null || sample.recordedAt().isAfter(state.newestRecordedAt)) {
      state.newestRecordedAt = sample.recordedAt();
    }
  }

  /** Applies the held samples that are due: all of them, or those older than the window. */
  private void drain(UUID vehicleId, VehicleState state, boolean all) {
    Instant due = state.newestRecordedAt.minus(settings.reorderWindow());
    while (!state.pending.isEmpty()) {
      Sample first = state.pending.get(0);
      if (!all
          && state.pending.size() <= settings.maxPendingSamples()
          && first.recordedAt().isAfter(due)) {
        return;
      }
      state.pending.remove(0);
      apply(vehicleId, state, first);
    }
  }

  private void apply(UUID vehicleId, VehicleState state, Sample s) {
    Sample prev = state.last;
    ZoneId zone = zones.zoneOf(state.fleetId);
    DayTotals day = zone == null ? null : openDay(vehicleId, state.fleetId, s.recordedAt(), zone);
    boolean gap =
        prev != null
            && Duration.between(prev.recordedAt(), s.recordedAt()).compareTo(settings.maxDataGap())
                > 0;
    double drivenM = odometer.metres(state, prev, s, gap);
    if (day != null) {
      day.sampleCount++;
      day.distanceM += drivenM;
      if (day.first == null) {
        day.first = s;
      }
      day.last = s;
      if (s.speedKmh() != null) {
        day.maxSpeedKmh =
            day.maxSpeedKmh == null ? s.speedKmh() : Math.max(day.maxSpeedKmh, s.speedKmh());
      }
      if (prev != null) {
        segment(day, prev, s, gap);
      }
    }
    trips(state, day, prev, s, gap);
    idling(vehicleId, state, s, gap);
    if (prev != null) {
      for (HarshDriving.Raised raised : harsh.judge(state.harsh, prev, s)) {
        harshEvent(vehicleId, state, raised, zone, day);
      }
    }
    state.last = s;
    if (day != null) {
      save(day);
    }
  }

  /** Driving and idle time between two consecutive samples; the distance is the odometer's. */
  private void segment(DayTotals day, Sample a, Sample b, boolean gap) {
    if (gap) {
      return;
    }
    double dtS = HarshDriving.seconds(a, b);
    boolean moving =
        a.speedKmh() == null && b.speedKmh() == null
            ? dtS > 0
                && Geo.haversineMeters(a.latitude(), a.longitude(), b.latitude(), b.longitude())
                        / dtS
                        * 3.6
                    >= settings.movingSpeedKmh()
            : atLeast(a.speedKmh(), settings.movingSpeedKmh())
                || atLeast(b.speedKmh(), settings.movingSpeedKmh());
    if (moving) {
      day.drivingS += dtS;
    } else if (idle(a) && idle(b)) {
      day.idleS += dtS;
    }
  }

  private void trips(VehicleState state, DayTotals day, Sample prev, Sample s, boolean gap) {
    boolean moving =
        !Boolean.FALSE.equals(s.ignition()) && speedKmh(prev, s) >= settings.movingSpeedKmh();
    if (moving) {
      if (!state.moving) {
        boolean departed =
            prev == null
                || gap
                || (state.stillSince != null
                    && Duration.between(state.stillSince, s.recordedAt())
                            .compareTo(settings.minStop())
                        >= 0);
        if (departed && day != null) {
          day.tripCount++;
        }
      }
      state.moving = true;
      state.stillSince = null;
    } else if (state.moving || state.stillSince == null) {
      state.moving = false;
      // A vehicle first seen standing counts as parked: its first movement is a departure.
      state.stillSince = prev == null ? s.recordedAt().minus(settings.minStop()) : s.recordedAt();
    }
  }

  private void idling(UUID vehicleId, VehicleState state, Sample s, boolean gap) {
    boolean idle = idle(s);
    if (state.idleStart != null && (!idle || gap)) {
      endIdling(vehicleId, state, idle ? state.idleLast : s);
    }
    if (!idle) {
      return;
    }
    if (state.idleStart == null) {
      state.idleStart = s;
    }
    state.idleLast = s;
    if (!state.idling
        && Duration.between(state.idleStart.recordedAt(), s.recordedAt())
                .compareTo(settings.idleAfter())
            > 0) {
      state.idling = true;
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("idleAfterS", settings.idleAfter().toSeconds());
      Instant since = state.idleStart.recordedAt();
      emit(
          event(
              VehicleEvent.IDLING_STARTED,
              vehicleId,
              state.fleetId,
              since,
              since,
              state.idleStart,
              details));
      emitStatus(vehicleId, state);
    }
  }

  private void endIdling(UUID vehicleId, VehicleState state, Sample at) {
    if (state.idling) {
      Instant since = state.idleStart.recordedAt();
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("idlingStartedAt", since.toString());
      details.put("durationS", Duration.between(since, at.recordedAt()).toSeconds());
      state.idling = false;
      emit(
          event(
              VehicleEvent.IDLING_ENDED,
              vehicleId,
              state.fleetId,
              since,
              at.recordedAt(),
              at,
              details));
      state.idleStart = null;
      emitStatus(vehicleId, state);
    }
    state.idleStart = null;
    state.idleLast = null;
  }

  private void harshEvent(
      UUID vehicleId, VehicleState state, HarshDriving.Raised raised, ZoneId zone, DayTotals day) {
    Sample start = raised.run().start();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("peakMps2", Math.round(raised.run().peakMps2() * 100) / 100.0);
    details.put("fromSpeedKmh", start.speedKmh());
    details.put("toSpeedKmh", raised.to().speedKmh());
    if (!raised.kind().equals(HarshDriving.BRAKING)
        && !raised.kind().equals(HarshDriving.ACCELERATION)) {
      details.put(
          "direction", raised.kind().equals(HarshDriving.CORNERING_LEFT) ? "left" : "right");
    }
    emit(
        event(
            raised.type(),
            vehicleId,
            state.fleetId,
            start.recordedAt(),
            start.recordedAt(),
            start,
            details));
    if (zone == null) {
      return;
    }
    DayTotals counted =
        day != null && day.day.equals(LocalDate.ofInstant(start.recordedAt(), zone))
            ? day
            : openDay(vehicleId, state.fleetId, start.recordedAt(), zone);
    if (counted == null || counted.first == null) {
      // The run started on a day of which no sample was counted in this zone: there is no summary
      // to count it in.
      return;
    }
    switch (raised.type()) {
      case VehicleEvent.HARSH_BRAKING -> counted.harshBrakingCount++;
      case VehicleEvent.HARSH_ACCELERATION -> counted.harshAccelerationCount++;
      default -> counted.harshCorneringCount++;
    }
    if (counted != day) {
      save(counted);
    }
  }

  private void punctuate(long wallClockMs) {
    long startNs = System.nanoTime();
    now = wallClockMs;
    started();
    if (!indexed) {
      index();
    }
    // While a backlog is worked off (the thread stood still, Kafka or ingest was slow) the pings of
    // vehicles that seem silent may still be waiting: silence is judged once it has been worked
    // off.
    boolean catchingUp = behind;
    behind = false;
    for (String key : vehiclesDue.dueAt(now)) {
      byte[] stored = vehicles.get(key);
      punctuations.vehicleReads.increment();
      if (stored == null) {
        vehiclesDue.remove(key);
        continue;
      }
      VehicleState state = FleetlineJson.read(stored, VehicleState.class);
      if (state.offline && now - state.lastHeardMs >= settings.forgetAfter().toMillis()) {
        vehicles.delete(key);
        vehiclesDue.remove(key);
      } else if (look(UUID.fromString(key), state, catchingUp)) {
        store(key, state);
      } else {
        // Still due while catching up: looked at again next time.
        vehiclesDue.set(key, dueMs(state));
      }
    }
    publishSummaries();
    punctuations.duration.record(System.nanoTime() - startNs, TimeUnit.NANOSECONDS);
  }

  /**
   * Notes when every vehicle and day in the stores is next due: once per task start, so that the
   * stores as restored from their changelogs are what the timer goes by.
   */
  private void index() {
    try (KeyValueIterator<String, byte[]> all = vehicles.all()) {
      while (all.hasNext()) {
        KeyValue<String, byte[]> entry = all.next();
        punctuations.vehicleReads.increment();
        vehiclesDue.set(entry.key, dueMs(FleetlineJson.read(entry.value, VehicleState.class)));
      }
    }
    try (KeyValueIterator<String, byte[]> all = days.all()) {
      while (all.hasNext()) {
        KeyValue<String, byte[]> entry = all.next();
        punctuations.dayReads.increment();
        daysDue.set(entry.key, dueMs(FleetlineJson.read(entry.value, DayTotals.class)));
      }
    }
    indexed = true;
  }

  /**
   * When the timer next has something to do for the vehicle: apply its held samples, declare it
   * offline, or forget it; {@link Long#MAX_VALUE} when nothing (until its next ping).
   */
  private long dueMs(VehicleState state) {
    long due = Long.MAX_VALUE;
    if (!state.pending.isEmpty()) {
      due = state.lastHeardMs + settings.reorderWindow().toMillis();
    }
    if (state.offline) {
      due = Math.min(due, state.lastHeardMs + settings.forgetAfter().toMillis());
    } else if (state.last != null) {
      due =
          Math.min(
              due, Math.max(state.lastHeardMs, startedMs) + settings.offlineAfter().toMillis());
    }
    return due;
  }

  /** When the timer next has something to do for the day: publish it, or forget it once closed. */
  private long dueMs(DayTotals day) {
    return day.dirty
        ? day.publishedMs + settings.summaryInterval().toMillis()
        : closesAtMs(day.day, ZoneId.of(day.timeZone));
  }

  private void store(String key, VehicleState state) {
    vehicles.put(key, FleetlineJson.write(state));
    if (indexed) {
      vehiclesDue.set(key, dueMs(state));
    }
  }

  private void store(DayTotals day) {
    String key = dayKey(day.vehicleId, day.day);
    days.put(key, FleetlineJson.write(day));
    if (indexed) {
      daysDue.set(key, dueMs(day));
    }
  }

  /**
   * Applies held samples of a silent vehicle and declares it offline unless the task is catching
   * up; whether anything changed.
   */
  private boolean look(UUID vehicleId, VehicleState state, boolean catchingUp) {
    long silentMs = now - state.lastHeardMs;
    boolean changed = false;
    if (!state.pending.isEmpty() && silentMs >= settings.reorderWindow().toMillis()) {
      drain(vehicleId, state, true);
      changed = true;
    }
    // After a restart or a partition move the pings of the time in between may still be waiting
    // in Kafka: silence counts from the task's start at the earliest.
    long silentHereMs = now - Math.max(state.lastHeardMs, startedMs);
    if (!catchingUp
        && !state.offline
        && state.last != null
        && silentHereMs >= settings.offlineAfter().toMillis()) {
      if (state.idleStart != null) {
        endIdling(vehicleId, state, state.idleLast);
      }
      Instant lastHeard = Instant.ofEpochMilli(state.lastHeardMs);
      Instant offlineAt = lastHeard.plus(settings.offlineAfter());
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("lastHeardAt", lastHeard.toString());
      details.put("lastRecordedAt", state.last.recordedAt().toString());
      details.put("offlineAfterS", settings.offlineAfter().toSeconds());
      emit(
          event(
              VehicleEvent.DEVICE_OFFLINE,
              vehicleId,
              state.fleetId,
              lastHeard,
              offlineAt,
              state.last,
              details));
      state.offline = true;
      state.onlineChangedAt = offlineAt;
      emitStatus(vehicleId, state);
      changed = true;
    }
    return changed;
  }

  private void publishSummaries() {
    List<DayTotals> dirty = new ArrayList<>();
    List<String> closed = new ArrayList<>();
    for (String key : daysDue.dueAt(now)) {
      byte[] stored = days.get(key);
      punctuations.dayReads.increment();
      if (stored == null) {
        daysDue.remove(key);
        continue;
      }
      DayTotals day = FleetlineJson.read(stored, DayTotals.class);
      if (day.dirty && now - day.publishedMs >= settings.summaryInterval().toMillis()) {
        dirty.add(day);
      } else if (!day.dirty && closed(day.day, ZoneId.of(day.timeZone))) {
        closed.add(key);
      } else {
        daysDue.set(key, dueMs(day));
      }
    }
    for (DayTotals day : dirty) {
      // Totals without a sample (as an earlier version could keep) have no summary to publish.
      if (day.first != null) {
        context.forward(
            new Record<>(
                day.vehicleId.toString(), FleetlineJson.write(Finding.of(day.summary())), now));
      }
      day.dirty = false;
      day.publishedMs = now;
      store(day);
    }
    for (String key : closed) {
      days.delete(key);
      daysDue.remove(key);
    }
  }

  private DayTotals openDay(UUID vehicleId, UUID fleetId, Instant at, ZoneId zone) {
    LocalDate date = LocalDate.ofInstant(at, zone);
    if (closed(date, zone)) {
      ignored.tooLate.increment();
      return null;
    }
    byte[] stored = days.get(dayKey(vehicleId, date));
    if (stored == null) {
      return DayTotals.start(vehicleId, fleetId, date, zone);
    }
    DayTotals day = FleetlineJson.read(stored, DayTotals.class);
    if (!day.timeZone.equals(zone.getId())) {
      // The fleet's zone changed during the day: its samples so far covered another stretch of
      // time, so the day starts afresh in the new zone and replaces the earlier revisions.
      DayTotals restarted = DayTotals.start(vehicleId, fleetId, date, zone);
      restarted.revision = day.revision;
      return restarted;
    }
    return day;
  }

  private void save(DayTotals day) {
    day.changed();
    store(day);
  }

  private boolean closed(LocalDate date, ZoneId zone) {
    return now >= closesAtMs(date, zone);
  }

  /** Wall-clock milliseconds from which the day takes no more pings: its end plus the grace. */
  private long closesAtMs(LocalDate date, ZoneId zone) {
    Instant end = date.plusDays(1).atStartOfDay(zone).toInstant();
    return end.plus(settings.grace()).toEpochMilli();
  }

  private void started() {
    if (startedMs < 0) {
      startedMs = now;
    }
  }

  static String dayKey(UUID vehicleId, LocalDate day) {
    return vehicleId + "/" + day;
  }

  private VehicleState load(String key) {
    byte[] stored = vehicles.get(key);
    return stored == null ? new VehicleState() : FleetlineJson.read(stored, VehicleState.class);
  }

  /**
   * An event keyed by its type, vehicle and {@code identity} (the instant that makes it unique),
   * live unless it happened longer than the live window before it was detected.
   */
  private DetectedEvent event(
      String type,
      UUID vehicleId,
      UUID fleetId,
      Instant identity,
      Instant occurredAt,
      Sample at,
      Map<String, Object> details) {
    Map<String, Object> all = new LinkedHashMap<>(details);
    all.put("live", occurredAt.toEpochMilli() >= now - settings.liveWindow().toMillis());
    return new DetectedEvent(
        type + ":" + vehicleId + ":" + identity,
        type,
        vehicleId,
        fleetId,
        occurredAt,
        at == null ? null : at.latitude(),
        at == null ? null : at.longitude(),
        all);
  }

  private void emit(DetectedEvent event) {
    context.forward(
        new Record<>(event.vehicleId().toString(), FleetlineJson.write(Finding.of(event)), now));
  }

  private void emitStatus(UUID vehicleId, VehicleState state) {
    // Grows with the wall clock too, so a vehicle whose state was forgotten still replaces its
    // stored status when it comes back.
    state.statusRevision = Math.max(state.statusRevision + 1, now);
    VehicleStatus status =
        new VehicleStatus(
            vehicleId,
            state.fleetId,
            state.statusRevision,
            !state.offline,
            state.onlineChangedAt,
            Instant.ofEpochMilli(state.lastHeardMs),
            state.idling,
            state.idling ? state.idleStart.recordedAt() : null);
    context.forward(
        new Record<>(vehicleId.toString(), FleetlineJson.write(Finding.of(status)), now));
  }

  private boolean idle(Sample s) {
    return Boolean.TRUE.equals(s.ignition())
        && s.speedKmh() != null
        && s.speedKmh() < settings.idleSpeedKmh();
  }

  private static double speedKmh(Sample prev, Sample s) {
    if (s.speedKmh() != null) {
      return s.speedKmh();
    }
    if (prev == null) {
      return 0;
    }
    double dtS = HarshDriving.seconds(prev, s);
    return dtS <= 0
        ? 0
        : Geo.haversineMeters(prev.latitude(), prev.longitude(), s.latitude(), s.longitude())
            / dtS
            * 3.6;
  }

  private static boolean atLeast(Double value, double threshold) {
    return value != null && value >= threshold;
  }
}
