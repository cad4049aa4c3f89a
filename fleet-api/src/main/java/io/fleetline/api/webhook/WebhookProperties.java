package io.fleetline.api.webhook;

import io.fleetline.common.Topics;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of signed webhooks ({@code fleetline.webhooks.*}).
 *
 * @param enabled whether this instance records and sends deliveries (the API is always served)
 * @param eventsTopic the topic of vehicle events the deliveries are made from
 * @param consumerGroup the consumer group all instances share to record deliveries
 * @param allowPrivateNetworks whether endpoints may be on loopback, private, link-local and other
 *     internal addresses; off, such endpoints are refused at creation and at delivery
 * @param secretEncryptionKey base64 AES key (16, 24 or 32 bytes) that encrypts signing secrets at
 *     rest; empty stores them in the clear
 * @param connectTimeout how long connecting to an endpoint may take
 * @param responseTimeout how long an endpoint may take to answer once connected
 * @param dnsTimeout how long resolving an endpoint's host may take
 * @param initialBackoff the wait before the first retry; it doubles with each failed attempt
 * @param maxBackoff the longest wait between two attempts
 * @param giveUpAfter how long after it became due a failing delivery is retried before it is given
 *     up
 * @param disableAfter how long an endpoint may fail every attempt before its subscription is
 *     disabled and the fleet told with a {@code webhook_disabled} event
 * @param rotationOverlap how long the previous secret still signs after a rotation
 * @param pollInterval how often a dispatcher looks for due deliveries when it found none
 * @param batchSize deliveries one dispatcher claims at once
 * @param concurrency deliveries one dispatcher sends at once
 * @param maxInFlightPerWebhook deliveries of one webhook one dispatcher sends at once, so that a
 *     slow or hostile endpoint holds at most this many of its senders
 * @param maxPerFleet subscriptions one fleet may have
 * @param logRetention how long delivered and given-up deliveries stay in the delivery log
 */
@ConfigurationProperties("fleetline.webhooks")
record WebhookProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue(Topics.EVENTS) String eventsTopic,
    @DefaultValue("fleet-api-webhooks") String consumerGroup,
    @DefaultValue("false") boolean allowPrivateNetworks,
    @DefaultValue("") String secretEncryptionKey,
    @DefaultValue("5s") Duration connectTimeout,
    @DefaultValue("10s") Duration responseTimeout,
    @DefaultValue("5s") Duration dnsTimeout,
    @DefaultValue("5s") Duration initialBackoff,
    @DefaultValue("1h") Duration maxBackoff,
    @DefaultValue("24h") Duration giveUpAfter,
    @DefaultValue("24h") Duration disableAfter,
    @DefaultValue("24h") Duration rotationOverlap,
    @DefaultValue("1s") Duration pollInterval,
    @DefaultValue("50") int batchSize,
    @DefaultValue("8") int concurrency,
    @DefaultValue("2") int maxInFlightPerWebhook,
    @DefaultValue("50") int maxPerFleet,
    @DefaultValue("30d") Duration logRetention) {

  /**
   * How long a claimed delivery is reserved for the dispatcher sending it: its attempt, which
   * starts when it is claimed, ends within the DNS timeout plus the connect and response timeouts;
   * a margin on top. When the instance dies, the delivery becomes due again after it.
   */
  Duration lease() {
    return connectTimeout.plus(responseTimeout).plus(dnsTimeout).plusSeconds(30);
  }
}
