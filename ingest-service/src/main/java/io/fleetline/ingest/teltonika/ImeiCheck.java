package io.fleetline.ingest.teltonika;

import io.fleetline.common.DeviceKey;
import io.fleetline.common.DeviceProtocol;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.ingest.registry.DeviceRegistry;
import io.fleetline.ingest.validation.Rejection;

/** Decides the IMEI handshake: which registered device, if any, may send on this connection. */
@FunctionalInterface
interface ImeiCheck {

  String ACCEPTED = "accepted";
  String REGISTRY_LOADING = "registry_loading";

  Result check(String imei);

  /**
   * The answer to one handshake.
   *
   * @param device the device that may send, or {@code null} when refused
   * @param outcome {@link #ACCEPTED} or why not, used as a metric label
   */
  record Result(DeviceRegistration device, String outcome) {

    static Result accepted(DeviceRegistration device) {
      return new Result(device, ACCEPTED);
    }

    static Result refused(String outcome) {
      return new Result(null, outcome);
    }
  }

  /**
   * Answers from the in-memory registry: only a registered, enabled {@code teltonika} device is
   * accepted, and nobody is while the registry is still loading (the device simply retries).
   */
  static ImeiCheck against(DeviceRegistry registry) {
    return imei -> {
      if (!registry.isLoaded()) {
        return Result.refused(REGISTRY_LOADING);
      }
      return registry
          .find(new DeviceKey(DeviceProtocol.TELTONIKA, imei))
          .map(d -> d.enabled() ? Result.accepted(d) : Result.refused(Rejection.DEVICE_DISABLED))
          .orElse(Result.refused(Rejection.UNKNOWN_DEVICE));
    };
  }
}
