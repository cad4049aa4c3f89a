package io.fleetline.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The secured REST API of fleet managers and integrators, with its embedded authorization server.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class FleetApiApplication {

  public static void main(String[] args) {
    SpringApplication.run(FleetApiApplication.class, args);
  }
}
