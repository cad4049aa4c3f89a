package io.fleetline.api.live;

import io.fleetline.common.Topics;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the live stream ({@code fleetline.api.live.*}).
 *
 * @param enabled whether fleet-api consumes the topics and serves {@code /api/v1/live}
 * @param pingsTopic the topic of validated pings
 * @param eventsTopic the topic of vehicle events
 * @param replayBuffer messages kept per fleet for reconnecting clients ({@code Last-Event-ID})
 * @param subscriberQueue messages waiting for one slow client before it is disconnected; with the
 *     shared replay buffer this bounds what one stream holds
 * @param retention how long a fleet's replay buffer outlives its last client
 * @param timeout how long one stream stays open before the client must reconnect
 * @param heartbeat interval of keep-alive comments
 * @param maxStreamsPerClient streams one API client may have open at once
 * @param maxStreamsPerFleet streams all clients of one fleet may have open at once
 * @param retryAfter what a client refused for having too many streams is told to wait
 * @param resumeMaxRecords Kafka records read at most to resume a stream this instance cannot resume
 *     from its replay buffer (what the client missed is at most {@code subscriberQueue} messages
 *     besides)
 * @param resumeTimeout how long reading them back may take
 */
@ConfigurationProperties("fleetline.api.live")
record LiveProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue(Topics.PINGS) String pingsTopic,
    @DefaultValue(Topics.EVENTS) String eventsTopic,
    @DefaultValue("1000") int replayBuffer,
    @DefaultValue("1000") int subscriberQueue,
    @DefaultValue("5m") Duration retention,
    @DefaultValue("30m") Duration timeout,
    @DefaultValue("15s") Duration heartbeat,
    @DefaultValue("10") int maxStreamsPerClient,
    @DefaultValue("100") int maxStreamsPerFleet,
    @DefaultValue("10s") Duration retryAfter,
    @DefaultValue("100000") int resumeMaxRecords,
    @DefaultValue("5s") Duration resumeTimeout) {}
