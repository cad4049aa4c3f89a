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

  record NewDevice(
      @NotBlank
          @Pattern(
              regexp = "http|osmand|mqtt|teltonika",
              message = "must be one of http, osmand, mqtt, teltonika")
          String protocol,
      @NotBlank
          @Size(max = 100)
          @Pattern(regexp = "[A-Za-z0-9._:-]+", message = "may hold letters, digits and . _ : -")
          String identifier) {}

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
                          newTokens.get(d.getId())))
              .toList());
    }
  }

  /** A device; {@code token} appears only in the answer that created it. */
  record DeviceView(
      UUID id,
      String protocol,
      String identifier,
      boolean enabled,
      @JsonInclude(JsonInclude.Include.NON_NULL) String token) {}
}
