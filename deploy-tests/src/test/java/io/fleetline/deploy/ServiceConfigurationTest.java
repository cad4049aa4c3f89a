package io.fleetline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration model the compose and chart checks rely on tells real names from typos. */
class ServiceConfigurationTest {

  final ServiceConfiguration ingest = ServiceConfiguration.of("ingest-service");

  @Test
  void understandsBootPropertiesRecordsAndPlaceholdersInBothEnvironmentForms() {
    assertThat(ingest.understands("SPRING_KAFKA_BOOTSTRAP_SERVERS")).isTrue();
    assertThat(ingest.understands("SPRING_KAFKA_BOOTSTRAPSERVERS")).isTrue();
    assertThat(ingest.understands("FLEETLINE_INGEST_PUBLISHTIMEOUT")).isTrue();
    assertThat(ingest.understands("FLEETLINE_INGEST_TOPICS_PINGPARTITIONS")).isTrue();
    assertThat(ingest.understands("FLEETLINE_INGEST_TELTONIKA_PORT")).isTrue();
    assertThat(ingest.understands("FLEETLINE_INGEST_MQTT_URL")).isTrue();
    assertThat(ingest.understands("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG")).isTrue();
  }

  @Test
  void fleetlinePlaceholdersSpellEachWordOfTheirPropertyApart() {
    for (String module :
        List.of("fleet-api", "ingest-service", "routing-service", "analytics-service")) {
      ServiceConfiguration service = ServiceConfiguration.of(module);
      service
          .placeholders()
          .forEach(
              (property, placeholder) -> {
                String glued = property.replace('.', '_').replace("-", "").toUpperCase(Locale.ROOT);
                // Names of our own; Spring's own properties keep the names Spring documents.
                if (placeholder.startsWith("FLEETLINE_") && property.contains("-")) {
                  assertThat(placeholder)
                      .as("%s: %s glues the words of %s", module, placeholder, property)
                      .isNotEqualTo(glued);
                }
              });
    }
  }

  @Test
  void theFormerGluedNamesOfIngestSettingsStillBindBesideTheWordNames() {
    Map<String, List<String>> names =
        Map.of(
            "fleetline.ingest.publish.max-bytes-in-flight",
            List.of(
                "FLEETLINE_INGEST_PUBLISH_MAX_BYTES_IN_FLIGHT",
                "FLEETLINE_INGEST_PUBLISH_MAXBYTESINFLIGHT"),
            "fleetline.ingest.mqtt.max-payload-size",
            List.of(
                "FLEETLINE_INGEST_MQTT_MAX_PAYLOAD_SIZE", "FLEETLINE_INGEST_MQTT_MAXPAYLOADSIZE"),
            "fleetline.ingest.mqtt.password-file",
            List.of("FLEETLINE_INGEST_MQTT_PASSWORD_FILE", "FLEETLINE_INGEST_MQTT_PASSWORDFILE"),
            "fleetline.ingest.mqtt.password-file-debounce",
            List.of(
                "FLEETLINE_INGEST_MQTT_PASSWORD_FILE_DEBOUNCE",
                "FLEETLINE_INGEST_MQTT_PASSWORDFILEDEBOUNCE"),
            "fleetline.ingest.mqtt.broker-pid-file",
            List.of(
                "FLEETLINE_INGEST_MQTT_BROKER_PID_FILE", "FLEETLINE_INGEST_MQTT_BROKERPIDFILE"));
    names.forEach(
        (property, envNames) -> {
          for (String envName : envNames) {
            assertThat(ingest.understands(envName)).as(envName).isTrue();
            assertThat(ingest.effective(property, Map.of(envName, "42")))
                .as(envName)
                .isEqualTo("42");
          }
        });
  }

  @Test
  void rejectsNamesThatBindToNothing() {
    assertThat(ingest.understands("FLEETLINE_INGEST_PUBLISH_TIMOUT")).isFalse();
    assertThat(ingest.understands("SPRING_KAFKA_BOOTSTRAP_SERVER")).isFalse();
    assertThat(ingest.understands("FLEETLINE_INGEST_TOPICS_PING")).isFalse();
    assertThat(ingest.understands("FLEETLINE_ROUTING_PINGSTOPIC")).isFalse();
  }

  @Test
  void effectiveValueTakesTheEnvironmentThenTheYamlThenTheRecordDefault() {
    assertThat(ingest.effective("server.port", Map.of())).isEqualTo("8081");
    assertThat(ingest.effective("server.port", Map.of("SERVER_PORT", "9000"))).isEqualTo("9000");
    assertThat(ingest.effective("fleetline.ingest.osmand.port", Map.of())).isEqualTo("5055");
    assertThat(
            ingest.effective(
                "fleetline.ingest.osmand.port", Map.of("FLEETLINE_INGEST_OSMAND_PORT", "6000")))
        .isEqualTo("6000");
    assertThat(ingest.effective("fleetline.ingest.teltonika.port", Map.of())).isEqualTo("5027");
    assertThat(ingest.effective("fleetline.ingest.topics.pings", Map.of()))
        .isEqualTo("fleetline.pings");
  }

  @Test
  void brokersAndDatabaseBindFromTheFleetlineNamesAndFromSpringsOwnNames() {
    for (String module :
        List.of("fleet-api", "ingest-service", "routing-service", "analytics-service")) {
      ServiceConfiguration service = ServiceConfiguration.of(module);
      assertThat(
              service.effective(
                  "spring.kafka.bootstrap-servers", Map.of("FLEETLINE_KAFKA_BOOTSTRAP", "k:9092")))
          .as(module)
          .isEqualTo("k:9092");
      assertThat(
              service.effective(
                  "spring.kafka.bootstrap-servers",
                  Map.of("SPRING_KAFKA_BOOTSTRAP_SERVERS", "k:9092")))
          .as(module)
          .isEqualTo("k:9092");
    }
    for (String module : List.of("fleet-api", "routing-service", "analytics-service")) {
      ServiceConfiguration service = ServiceConfiguration.of(module);
      Map<String, String> fleetline =
          Map.of(
              "FLEETLINE_DB_URL", "jdbc:postgresql://db/f",
              "FLEETLINE_DB_USER", "u",
              "FLEETLINE_DB_PASSWORD", "p");
      Map<String, String> spring =
          Map.of(
              "SPRING_DATASOURCE_URL", "jdbc:postgresql://db/f",
              "SPRING_DATASOURCE_USERNAME", "u",
              "SPRING_DATASOURCE_PASSWORD", "p");
      for (Map<String, String> environment : List.of(fleetline, spring)) {
        assertThat(service.effective("spring.datasource.url", environment))
            .as(module)
            .isEqualTo("jdbc:postgresql://db/f");
        assertThat(service.effective("spring.datasource.username", environment)).isEqualTo("u");
        assertThat(service.effective("spring.datasource.password", environment)).isEqualTo("p");
      }
    }
  }
}
