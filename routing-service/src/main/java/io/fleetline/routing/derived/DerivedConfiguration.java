package io.fleetline.routing.derived;

import io.fleetline.routing.event.EventDetector;
import io.fleetline.routing.event.EventSettings;
import io.fleetline.routing.trip.TripDetector;
import io.fleetline.routing.trip.TripSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The pure detectors, configured from the application's settings. */
@Configuration(proxyBeanMethods = false)
class DerivedConfiguration {

  @Bean
  TripDetector tripDetector(TripSettings settings) {
    return new TripDetector(settings);
  }

  @Bean
  EventDetector eventDetector(EventSettings settings) {
    return new EventDetector(settings);
  }
}
