package io.fleetline.api;

import io.fleetline.common.IsoTime;
import java.time.Instant;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/** JSON conventions of the contract: times are ISO-8601 UTC with exactly three fraction digits. */
@Configuration(proxyBeanMethods = false)
class JsonConfiguration {

  /**
   * Doubles and floats written by Jackson's own Schubfach code instead of Java 17's {@code
   * Double.toString}, which took a sixth of a track page's CPU; the digits may differ from {@code
   * Double.toString}'s in the last place only where that is not the shortest, and read back as the
   * same number.
   */
  @Bean
  JsonMapperBuilderCustomizer fastNumbers() {
    return builder -> builder.enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER);
  }

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
