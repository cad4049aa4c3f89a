package io.fleetline.ingest.coap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

class CoapPropertiesTest {

  static CoapProperties shipped() throws Exception {
    StandardEnvironment environment = new StandardEnvironment();
    new YamlPropertySourceLoader()
        .load("shipped", new ClassPathResource("application.yaml"))
        .forEach(environment.getPropertySources()::addLast);
    return Binder.get(environment).bindOrCreate("fleetline.ingest.coap", CoapProperties.class);
  }

  @Test
  void dtlsIsOffUnlessSwitchedOnSinceTheRegistryHoldsEveryDevicesKey() throws Exception {
    assertThat(shipped().dtlsEnabled()).isFalse();
  }

  @Test
  void theShippedLimitsBoundWhatForgedSourcesCanMakeThePortRemember() throws Exception {
    CoapProperties coap = shipped();

    assertThat(coap.maxBlockTransfers()).isEqualTo(32);
    assertThat(coap.blockTransferLifetime()).isEqualTo(Duration.ofSeconds(30));
    assertThat(coap.exchangeLifetime()).isEqualTo(Duration.ofSeconds(60));
    assertThat(coap.maxRequestsPerSecond()).isEqualTo(200);
    assertThat(coap.maxBurst()).isEqualTo(400);
  }
}
