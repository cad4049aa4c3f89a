package io.fleetline.ingest.osmand;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The OsmAnd endpoint ({@code fleetline.ingest.osmand.*}): its own HTTP port, path {@code /}, as
 * the Traccar Client apps expect.
 *
 * @param port the listening port; 0 picks a free one
 */
@ConfigurationProperties("fleetline.ingest.osmand")
public record OsmandProperties(
    @DefaultValue("true") boolean enabled, @DefaultValue("5055") int port) {}
