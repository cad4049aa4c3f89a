package io.fleetline.api.limits;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the limit on requests in progress per source address ({@code
 * fleetline.api.connections.*}).
 *
 * @param maxRequestsPerAddress requests one address may have in progress at once; behind a reverse
 *     proxy every client shares the proxy's address, so raise it there
 * @param retryAfter what a refused client is told to wait
 */
@ConfigurationProperties("fleetline.api.connections")
record ConnectionLimitProperties(
    @DefaultValue("50") int maxRequestsPerAddress, @DefaultValue("1s") Duration retryAfter) {}
