package io.fleetline.api;

import io.fleetline.common.Topics;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of fleet-api that belong to no single feature ({@code fleetline.api.*}).
 *
 * @param devicesTopic the compacted topic the device registry is published to, read by ingest
 * @param maxRequestSize request bodies larger than this are refused with 413
 */
@ConfigurationProperties("fleetline.api")
public record ApiProperties(
    @DefaultValue(Topics.DEVICES) String devicesTopic,
    @DefaultValue("1MB") DataSize maxRequestSize) {}
