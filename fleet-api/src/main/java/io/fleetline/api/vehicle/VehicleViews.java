package io.fleetline.api.vehicle;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Request and response bodies of the vehicle resources. */
public final class VehicleViews {

  /**
   * Text without control characters or unpaired surrogates: PostgreSQL refuses NUL, an unpaired
   * surrogate has no UTF-8 form, and neither belongs in a name.
   */
  public static final String PRINTABLE = "[^\\p{Cc}\\p{Cs}]*";

  public static final String NOT_PRINTABLE =
      "must not contain control characters or unpaired surrogates";

  private VehicleViews() {}

  @Schema(
      example =
          "{\"name\":\"Van 1\",\"plate\":\"B-FL 101\",\"devices\":[{\"protocol\":\"http\","
              + "\"identifier\":\"van-1\"}]}")
  record CreateVehicle(
      @NotBlank @Size(max = 200) @Pattern(regexp = PRINTABLE, message = NOT_PRINTABLE) String name,
      @Size(max = 17) @Pattern(regexp = PRINTABLE, message = NOT_PRINTABLE) String vin,
      @Size(max = 20) @Pattern(regexp = PRINTABLE, message = NOT_PRINTABLE) String plate,
      @Size(max = 10) List<@Valid @NotNull NewDevice> devices) {}

  /** Changes to a vehicle: absent fields stay as they are, an empty vin or plate clears it. */
  record UpdateVehicle(
      @Size(min = 1, max = 200) @Pattern(regexp = PRINTABLE, message = NOT_PRINTABLE) String name,
      @Size(max = 17) @Pattern(regexp = PRINTABLE, message = NOT_PRINTABLE) String vin,
      @Size(max = 20) @Pattern(regexp = PRINTABLE, message = NOT_PRINTABLE) String plate) {}

  /** A device's new token, shown only in this answer. */
  record DeviceToken(UUID deviceId, String token) {}

  /**
   * A device to register; a {@code gateway} also lists in {@code relays} the identifiers of the
   * {@code http} devices of the fleet whose pings it may upload.
   */
  record NewDevice(
      @NotBlank
          @Pattern(
              regexp = "http|osmand|mqtt|teltonika|gateway",
              message = "must be one of http, osmand, mqtt, teltonika, gateway")
          String protocol,
      @NotBlank @Size(max = 100) @Pattern(regexp = IDENTIFIER, message = IDENTIFIER_CHARACTERS)
          String identifier,
      @Size(max = MAX_RELAYS)
          List<
                  @NotNull @Size(min = 1, max = 100)
                  @Pattern(regexp = IDENTIFIER, message = IDENTIFIER_CHARACTERS) String>
              relays) {

    NewDevice(String protocol, String identifier) {
      this(protocol, identifier, null);
    }
  }

  static final String IDENTIFIER = "[A-Za-z0-9._:-]+";

  static final String IDENTIFIER_CHARACTERS = "may hold letters, digits and . _ : -";

  /** Most devices one gateway may relay: its registry record stays well under Kafka's limit. */
  static final int MAX_RELAYS = 1000;

  record VehicleView(
      UUID id, String name, String vin, String plate, Instant createdAt, List<DeviceView> devices) {

    static VehicleView of(Vehicle v, Map<UUID, String> newTokens) {
      return new VehicleView(
          v.getId(),
          v.getName(),
          v.getVin(),
          v.getPlate(),
          v.getCreatedAt(),
          v.getDevices().stream()
              .map(
                  d ->
                      new DeviceView(
                          d.getId(),
                          d.getProtocol(),
                          d.getIdentifier(),
                          d.isEnabled(),
                          d.getRelays(),
                          newTokens.get(d.getId())))
              .toList());
    }
  }

  /**
   * A device; {@code relays} only for a gateway, {@code token} only in the answer that created it.
   */
  record DeviceView(
      UUID id,
      String protocol,
      String identifier,
      boolean enabled,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<String> relays,
      @JsonInclude(JsonInclude.Include.NON_NULL) String token) {}
}
