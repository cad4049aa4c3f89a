package io.fleetline.routing;

import io.fleetline.common.Topics;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the routing-service ({@code fleetline.routing.*}).
 *
 * @param pingsTopic the topic of validated pings
 * @param deadLetterTopic where records that cannot be decoded, and pings the database refuses for
 *     their content, go, so their partition moves on
 * @param consumerGroup the consumer group shared by every routing instance
 * @param concurrency consumer threads per instance (at most the partition count in total)
 * @param eventsTopic the topic routing publishes trip, stop, geofence and overspeed events to
 * @param eventsPartitions partitions of the events topic when routing creates it
 */
@ConfigurationProperties("fleetline.routing")
public record RoutingProperties(
    @DefaultValue(Topics.PINGS) String pingsTopic,
    @DefaultValue(Topics.PINGS + ".dlt") String deadLetterTopic,
    @DefaultValue("fleetline-routing") String consumerGroup,
    @DefaultValue("2") int concurrency,
    @DefaultValue(Topics.EVENTS) String eventsTopic,
    @DefaultValue("12") int eventsPartitions) {}
