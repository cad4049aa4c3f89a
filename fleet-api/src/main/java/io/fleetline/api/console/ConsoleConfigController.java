package io.fleetline.api.console;

import io.fleetline.api.console.ConsoleSettings.ConsoleConfig;
import io.swagger.v3.oas.annotations.Hidden;
import java.time.Duration;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Tells the console where people sign in, which API it calls and which map tiles it shows. */
@RestController
@Hidden
class ConsoleConfigController {

  private final ConsoleSettings settings;

  ConsoleConfigController(ConsoleSettings settings) {
    this.settings = settings;
  }

  @GetMapping("/console/config.json")
  ResponseEntity<ConsoleConfig> config() {
    return ResponseEntity.ok()
        .cacheControl(CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic())
        .body(settings.config());
  }
}
