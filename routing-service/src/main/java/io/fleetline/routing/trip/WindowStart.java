package io.fleetline.routing.trip;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Where a vehicle's window of history begins: the part a batch recomputes trips, stops and events
 * over, because detection restarted there gives what detection over the whole history would (see
 * {@link TripDetector}).
 */
public sealed interface WindowStart {

  /** No stop before the new history: the window is all of it. */
  WindowStart WHOLE_HISTORY = new WholeHistory();

  /** Earlier starts first, the whole history before any other. */
  Comparator<WindowStart> EARLIEST_FIRST =
      Comparator.comparing((WindowStart start) -> start.since().orElse(Instant.MIN));

  /** At the first sample of a stop, which detection restarted there finds again. */
  static WindowStart atStop(Instant startedAt) {
    return new AtStop(startedAt);
  }

  /** At the departure (last sample) of a stop that is over, with the state right after it. */
  static WindowStart afterStop(Instant departedAt) {
    return new AfterStop(departedAt);
  }

  /** The earliest recorded time in the window; none for the whole history. */
  Optional<Instant> since();

  /** Detection over the window's samples, which begin at this start. */
  Detection detect(TripDetector detector, List<Sample> samples);

  /**
   * The start as PostgreSQL reads a {@code timestamptz}, for comparing with stored times: {@code
   * -infinity}, before every stored time, for the whole history.
   */
  default String timestamptz() {
    return since().map(Instant::toString).orElse("-infinity");
  }

  /** Whether something recorded or starting at {@code time} lies in the window. */
  default boolean contains(Instant time) {
    return since().map(since -> !time.isBefore(since)).orElse(true);
  }

  /** See {@link #WHOLE_HISTORY}. */
  record WholeHistory() implements WindowStart {

    @Override
    public Optional<Instant> since() {
      return Optional.empty();
    }

    @Override
    public Detection detect(TripDetector detector, List<Sample> samples) {
      return detector.detect(samples);
    }
  }

  /** See {@link #atStop}. */
  record AtStop(Instant startedAt) implements WindowStart {

    @Override
    public Optional<Instant> since() {
      return Optional.of(startedAt);
    }

    @Override
    public Detection detect(TripDetector detector, List<Sample> samples) {
      return detector.detect(samples);
    }
  }

  /** See {@link #afterStop}. */
  record AfterStop(Instant departedAt) implements WindowStart {

    @Override
    public Optional<Instant> since() {
      return Optional.of(departedAt);
    }

    @Override
    public Detection detect(TripDetector detector, List<Sample> samples) {
      return detector.detectAfterStop(samples);
    }
  }
}
