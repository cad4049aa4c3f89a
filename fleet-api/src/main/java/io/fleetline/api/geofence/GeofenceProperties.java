package io.fleetline.api.geofence;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Bounds of a geofence's area ({@code fleetline.api.geofences.*}); PostGIS's validity check and
 * every vehicle's containment test grow with the number of positions.
 *
 * @param maxPositions positions of all rings of a polygon together
 * @param maxRings rings of a polygon: its outline and its holes
 * @param maxRadiusM largest radius of a circle, in metres
 */
@ConfigurationProperties("fleetline.api.geofences")
record GeofenceProperties(
    @DefaultValue("10000") int maxPositions,
    @DefaultValue("100") int maxRings,
    @DefaultValue("100000") double maxRadiusM) {}
