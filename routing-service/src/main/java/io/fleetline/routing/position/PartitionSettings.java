package io.fleetline.routing.position;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * History partitioning ({@code fleetline.routing.partitions.*}).
 *
 * @param aheadDays daily partitions kept ready beyond today
 * @param retention history older than this (whole UTC days) is dropped, partition by partition
 * @param interval how often maintenance runs
 * @param clockSkew how far ahead of this instance's clock a ping's recorded or received time may
 *     be; a ping later than that, or older than retention, is dead-lettered as undecodable rather
 *     than stored (it would make a partition that is never dropped, or one dropped at once)
 */
@ConfigurationProperties("fleetline.routing.partitions")
record PartitionSettings(
    @DefaultValue("7") int aheadDays,
    @DefaultValue("400d") Duration retention,
    @DefaultValue("1h") Duration interval,
    @DefaultValue("1d") Duration clockSkew) {}
