package io.fleetline.api.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Failed client authentications allowed at the token endpoint ({@code
 * fleetline.auth.failed-authentications.*}); each limit is a bucket that refills over {@code
 * window}.
 *
 * @param enabled whether failures are limited at all
 * @param perClientAndAddress failures of one client id from one source address
 * @param perAddress failures from one source address, whatever the client id (IPv6 by /64)
 * @param perClient failures of one client id from all addresses together; it holds back every
 *     address the client has not authenticated from within {@code trustedFor}
 * @param window the time in which each bucket refills completely
 * @param maxTracked ids, addresses and pairs remembered per kind; the least recently seen are
 *     forgotten beyond it
 * @param maxConcurrent client authentications in progress at once on this instance, whoever sends
 *     them; more are answered 429, so that hashing guessed secrets from many addresses cannot take
 *     more than this many cores from the API
 * @param maxConcurrentWait how long a client authentication beyond {@code maxConcurrent} waits for
 *     one in progress to finish before it is answered 429
 * @param trustedFor how long after a client's last successful authentication from an address that
 *     address is trusted for it: held back only by its own failures, not by those of the address
 *     with other ids or of the id from other addresses
 */
@ConfigurationProperties("fleetline.auth.failed-authentications")
record ClientAuthenticationLimits(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("10") int perClientAndAddress,
    @DefaultValue("30") int perAddress,
    @DefaultValue("100") int perClient,
    @DefaultValue("1m") Duration window,
    @DefaultValue("100000") int maxTracked,
    @DefaultValue("4") int maxConcurrent,
    @DefaultValue("5s") Duration maxConcurrentWait,
    @DefaultValue("7d") Duration trustedFor) {}
