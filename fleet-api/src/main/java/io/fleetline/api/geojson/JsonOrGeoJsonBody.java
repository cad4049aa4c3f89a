package io.fleetline.api.geojson;

import java.util.function.Supplier;

/**
 * The body of an answer that is JSON, or GeoJSON when content negotiation chose {@code
 * application/geo+json}: only the chosen one is made, when the answer is written. Each supplies
 * bytes already written or an object for the API's JSON mapper.
 *
 * @param json the plain JSON answer
 * @param geoJson the GeoJSON answer
 */
public record JsonOrGeoJsonBody(Supplier<?> json, Supplier<?> geoJson) {}
