package io.fleetline.api.limits;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the per-client rate limiter ({@code fleetline.api.rate-limit.*}).
 *
 * @param enabled whether requests are limited at all
 * @param requestsPerSecond sustained rate of a client without a limit of its own
 * @param burst how many requests a client may make at once, in seconds of its rate
 * @param maxClients buckets kept in memory; the idlest are forgotten beyond it
 * @param maxClientRequestsPerSecond the highest rate of its own a fleet's client may be given; the
 *     platform's bound on what a fleet administrator grants
 */
@ConfigurationProperties("fleetline.api.rate-limit")
public record RateLimitProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("1000") int requestsPerSecond,
    @DefaultValue("2") double burst,
    @DefaultValue("100000") int maxClients,
    @DefaultValue("1000") int maxClientRequestsPerSecond) {}
