package io.fleetline.analytics;

import io.fleetline.analytics.stream.DetectionSettings;
import io.fleetline.common.Topics;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the analytics-service ({@code fleetline.analytics.*}).
 *
 * @param pingsTopic the topic of validated pings the stream reads
 * @param findingsTopic where the stream writes its events, summaries and statuses for storing
 * @param findingsPartitions partitions of the findings topic when the service creates it
 * @param eventsTopic where stored events are published, as routing's are
 * @param eventsPartitions partitions of the events topic when the service creates it
 * @param applicationId the Kafka Streams application id: consumer group and internal topic prefix
 * @param storeGroup the consumer group that stores the findings in the database
 * @param stateDir where the RocksDB stores live; a volume of its own spares a full restore from the
 *     changelogs at restart
 * @param streamThreads stream threads per instance
 * @param standbyReplicas warm copies of each store on other instances, for fast fail-over
 * @param replicationFactor of the changelog and repartition topics; -1: {@code
 *     fleetline.kafka.topics.replication-factor}, and where that is unset too the broker's default
 * @param zoneRefresh how often the fleets' time zones are read again
 * @param eventSweep how often events stored but not yet published are looked for
 * @param detection the detectors' thresholds and tolerances
 */
@ConfigurationProperties("fleetline.analytics")
public record AnalyticsProperties(
    @DefaultValue(Topics.PINGS) String pingsTopic,
    @DefaultValue("fleetline.analytics.findings") String findingsTopic,
    @DefaultValue("12") int findingsPartitions,
    @DefaultValue(Topics.EVENTS) String eventsTopic,
    @DefaultValue("12") int eventsPartitions,
    @DefaultValue("fleetline-analytics") String applicationId,
    @DefaultValue("fleetline-analytics-store") String storeGroup,
    @DefaultValue("/tmp/fleetline-analytics") String stateDir,
    @DefaultValue("1") int streamThreads,
    @DefaultValue("1") int standbyReplicas,
    @DefaultValue("-1") int replicationFactor,
    @DefaultValue("1m") Duration zoneRefresh,
    @DefaultValue("10s") Duration eventSweep,
    @DefaultValue DetectionSettings detection) {}
