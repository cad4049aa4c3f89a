package io.fleetline.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FleetlineJsonTest {

  @Test
  void pingSurvivesARoundTripWithEveryField() {
    VehiclePing ping =
        new VehiclePing(
            VehiclePing.CURRENT_VERSION,
            UUID.randomUUID(),
            UUID.randomUUID(),
            UUID.randomUUID(),
            "http",
            Instant.parse("2026-11-26T08:00:00.123Z"),
            Instant.parse("2026-11-26T08:00:01.456Z"),
            new Measurements(52.52, 13.405, 42.5, 90.0, 34.0, 5.0, 1234.5, true),
            Map.of("batt", 87));

    VehiclePing decoded = FleetlineJson.read(FleetlineJson.write(ping), VehiclePing.class);

    assertThat(decoded).isEqualTo(ping);
  }

  @Test
  void timesAreWrittenAsIsoStringsAndUnknownFieldsAreIgnored() {
    String json =
        "{\"v\":1,\"vehicleId\":\"6f1c1a4e-0000-4000-8000-000000000001\","
            + "\"recordedAt\":\"2026-11-26T08:00:00Z\",\"latitude\":1.5,\"longitude\":2.5,"
            + "\"futureField\":\"x\"}";

    VehiclePing ping = FleetlineJson.read(json.getBytes(StandardCharsets.UTF_8), VehiclePing.class);

    assertThat(ping.recordedAt()).isEqualTo(Instant.parse("2026-11-26T08:00:00Z"));
    assertThat(ping.measurements().speedKmh()).isNull();
    assertThat(ping.attributes()).isEmpty();
    assertThat(new String(FleetlineJson.write(ping), StandardCharsets.UTF_8))
        .contains("\"recordedAt\":\"2026-11-26T08:00:00Z\"");
  }

  @Test
  void registrationKeyRoundTripsThroughItsWireForm() {
    DeviceKey key = new DeviceKey(DeviceProtocol.TELTONIKA, "356307042441013");

    assertThat(DeviceKey.parse(key.toString())).isEqualTo(key);
  }

  @Test
  void aRegistrationWithoutTheBrokerPasswordFieldStillDecodes() {
    String older =
        "{\"v\":1,\"deviceId\":\"6f1c1a4e-0000-4000-8000-000000000001\","
            + "\"vehicleId\":\"6f1c1a4e-0000-4000-8000-000000000002\","
            + "\"fleetId\":\"6f1c1a4e-0000-4000-8000-000000000003\",\"protocol\":\"MQTT\","
            + "\"identifier\":\"tracker-9\",\"tokenSha256\":null,\"enabled\":true}";

    DeviceRegistration decoded =
        FleetlineJson.read(older.getBytes(StandardCharsets.UTF_8), DeviceRegistration.class);

    assertThat(decoded.identifier()).isEqualTo("tracker-9");
    assertThat(decoded.enabled()).isTrue();
    assertThat(decoded.mqttPasswordHash()).isNull();
  }

  @Test
  void aRegistrationWrittenBeforeGatewaysExistedRelaysForNoOne() {
    String older =
        "{\"v\":1,\"deviceId\":\"6f1c1a4e-0000-4000-8000-000000000001\","
            + "\"vehicleId\":\"6f1c1a4e-0000-4000-8000-000000000002\","
            + "\"fleetId\":\"6f1c1a4e-0000-4000-8000-000000000003\",\"protocol\":\"HTTP\","
            + "\"identifier\":\"tag-1\",\"tokenSha256\":null,\"enabled\":true,"
            + "\"mqttPasswordHash\":null}";

    DeviceRegistration decoded =
        FleetlineJson.read(older.getBytes(StandardCharsets.UTF_8), DeviceRegistration.class);

    assertThat(decoded.relays()).isNull();
    assertThat(decoded.relays("tag-1")).isFalse();
  }

  @Test
  void aGatewayRegistrationCarriesTheDevicesItMayRelay() {
    DeviceRegistration gateway =
        new DeviceRegistration(
            DeviceRegistration.CURRENT_VERSION,
            UUID.randomUUID(),
            UUID.randomUUID(),
            UUID.randomUUID(),
            DeviceProtocol.GATEWAY,
            "yard-gateway",
            DeviceTokens.sha256Hex("fld_x"),
            true,
            null,
            java.util.Set.of("tag-1", "tag-2"));

    DeviceRegistration decoded =
        FleetlineJson.read(FleetlineJson.write(gateway), DeviceRegistration.class);

    assertThat(decoded).isEqualTo(gateway);
    assertThat(decoded.relays("tag-2")).isTrue();
    assertThat(decoded.relays("tag-3")).isFalse();
    assertThat(DeviceProtocol.fromWire("gateway")).isEqualTo(DeviceProtocol.GATEWAY);
  }

  @Test
  void aRegistrationCarriesTheBrokerPasswordHash() {
    DeviceRegistration registration =
        new DeviceRegistration(
            DeviceRegistration.CURRENT_VERSION,
            UUID.randomUUID(),
            UUID.randomUUID(),
            UUID.randomUUID(),
            DeviceProtocol.MQTT,
            "tracker-9",
            DeviceTokens.sha256Hex("fld_x"),
            true,
            MqttPasswordHash.of("fld_x", MqttPasswordHash.DEVICE_TOKEN_ITERATIONS));

    assertThat(FleetlineJson.read(FleetlineJson.write(registration), DeviceRegistration.class))
        .isEqualTo(registration);
  }
}
