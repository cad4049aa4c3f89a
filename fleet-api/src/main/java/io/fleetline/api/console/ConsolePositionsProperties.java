package io.fleetline.api.console;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the console keeps the fleet's latest positions current ({@code
 * fleetline.console.positions.*}). The live stream carries pings before they are stored, so a
 * position list read just after the stream connected can miss a ping published just before; the
 * console reads the list again at this interval while a page is open, and whenever its stream
 * (re)connects.
 *
 * @param refreshInterval how often an open console reads the vehicles and their latest positions
 *     again; at least one second
 */
@ConfigurationProperties("fleetline.console.positions")
record ConsolePositionsProperties(@DefaultValue("30s") Duration refreshInterval) {

  ConsolePositionsProperties {
    if (refreshInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalStateException(
          "fleetline.console.positions.refresh-interval must be at least 1s, not "
              + refreshInterval);
    }
  }
}
