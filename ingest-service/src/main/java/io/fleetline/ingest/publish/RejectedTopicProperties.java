package io.fleetline.ingest.publish;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the rejected topic keeps of a rejected item ({@code fleetline.ingest.rejected.*}).
 *
 * @param excerptBytes most bytes of a rejected item's original kept in its record; a longer one is
 *     cut and marked with the {@code fleetline-original-truncated} header
 */
@ConfigurationProperties("fleetline.ingest.rejected")
public record RejectedTopicProperties(@DefaultValue("8192") int excerptBytes) {

  /** The defaults, for code outside Spring (tests, benchmarks). */
  public static RejectedTopicProperties defaults() {
    return new RejectedTopicProperties(8192);
  }
}
