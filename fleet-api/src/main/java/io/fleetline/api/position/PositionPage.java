package io.fleetline.api.position;

import java.util.List;

/** A page of positions, as documented (the handlers build it as {@code Page<PositionView>}). */
public record PositionPage(List<PositionView> items, String nextCursor) {}
