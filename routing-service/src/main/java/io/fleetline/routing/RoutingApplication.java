package io.fleetline.routing;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Turns the ping stream into history, latest positions, trips, stops and events. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class RoutingApplication {

  public static void main(String[] args) {
    SpringApplication.run(RoutingApplication.class, args);
  }
}
