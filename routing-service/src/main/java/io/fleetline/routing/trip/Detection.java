package io.fleetline.routing.trip;

import java.util.List;

/** The trips and stops found in a time-ordered run of samples. */
public record Detection(List<Trip> trips, List<Stop> stops) {}
