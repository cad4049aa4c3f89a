package io.fleetline.ingest.coap;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The CoAP ports ({@code fleetline.ingest.coap.*}): {@code POST /pings} over UDP, with the device
 * token as a query parameter, and over DTLS with a pre-shared key per device.
 *
 * @param enabled whether ingest listens for CoAP at all
 * @param bindAddress interface to bind, {@code 0.0.0.0} for all
 * @param port the plain UDP port; 0 picks a free one
 * @param dtlsEnabled whether the DTLS port is opened too; off unless set, since a device's DTLS key
 *     is the token hash that the device registry (its topic and table) holds
 * @param dtlsPort the DTLS port; 0 picks a free one
 * @param maxBodySize largest upload, whole, also when sent block-wise; larger is answered 4.13
 * @param maxExchanges uploads waiting for Kafka at once; past it a device is answered 5.03
 * @param maxRequestsPerSourcePerSecond sustained requests one address may make; more are dropped
 *     unanswered before anything of them is kept
 * @param maxBurstPerSource requests one address may make at once before the rate applies
 * @param maxRequestsPerSecond sustained requests the port takes from all addresses together; more
 *     are dropped unanswered. With {@code maxBurst} and {@code exchangeLifetime} it bounds the
 *     requests remembered for deduplication
 * @param maxBurst requests the port takes at once before its rate applies
 * @param maxBlockTransfers block-wise uploads assembled at once, each up to {@code maxBodySize}
 * @param blockTransferLifetime how long a block-wise upload may wait for its next block
 * @param maxSources addresses whose rate is tracked at once; new ones past it are reset until old
 *     ones are forgotten
 * @param maxPeers peers (plain and DTLS) the endpoints keep state for at once
 * @param exchangeLifetime how long a request's message id is remembered, so that a retransmission
 *     is answered from memory instead of stored again
 * @param threads threads that decode and validate requests; no request holds one while Kafka
 *     acknowledges it
 */
@ConfigurationProperties("fleetline.ingest.coap")
public record CoapProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("0.0.0.0") String bindAddress,
    @DefaultValue("5683") int port,
    @DefaultValue("false") boolean dtlsEnabled,
    @DefaultValue("5684") int dtlsPort,
    @DefaultValue("64KB") DataSize maxBodySize,
    @DefaultValue("2000") int maxExchanges,
    @DefaultValue("20") int maxRequestsPerSourcePerSecond,
    @DefaultValue("100") int maxBurstPerSource,
    @DefaultValue("200") int maxRequestsPerSecond,
    @DefaultValue("400") int maxBurst,
    @DefaultValue("32") int maxBlockTransfers,
    @DefaultValue("30s") Duration blockTransferLifetime,
    @DefaultValue("100000") int maxSources,
    @DefaultValue("20000") int maxPeers,
    @DefaultValue("60s") Duration exchangeLifetime,
    @DefaultValue("2") int threads) {}
