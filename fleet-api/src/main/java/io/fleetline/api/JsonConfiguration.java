package io.fleetline.api;

import io.fleetline.common.IsoTime;
import java.time.Instant;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/** JSON conventions of the contract: times are ISO-8601 UTC with exactly three fraction digits. */
@Configuration(proxyBeanMethods = false)
class JsonConfiguration {

  @Bean
  SimpleModule fleetlineTimes() {
    return new SimpleModule("fleetline-times")
        .addSerializer(
            Instant.class,
            new StdSerializer<>(Instant.class) {
              @Override
              public void serialize(Instant value, JsonGenerator gen, SerializationContext ctxt) {
                gen.writeString(IsoTime.formatMillis(value));
              }
            });
  }
}
