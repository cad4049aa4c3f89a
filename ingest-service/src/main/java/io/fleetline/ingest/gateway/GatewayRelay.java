package io.fleetline.ingest.gateway;

import io.fleetline.common.DeviceKey;
import io.fleetline.common.DeviceProtocol;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.ingest.intake.AttributedItems;
import io.fleetline.ingest.intake.DecodedPing;
import io.fleetline.ingest.registry.DeviceRegistry;
import io.fleetline.ingest.validation.DeviceText;
import io.fleetline.ingest.validation.Rejection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Attributes each item of a gateway's upload to the device it names in {@code "device"}: an {@code
 * http} device of the gateway's own fleet that is on the gateway's relay list. Items that name no
 * device, one off the list, or one the gateway's fleet does not have are refused and kept on the
 * gateway's account (a device of another fleet is indistinguishable from a missing one); items of a
 * disabled device are refused on that device's account. The other items of the upload go on.
 */
@Component
public class GatewayRelay {

  private final DeviceRegistry registry;

  GatewayRelay(DeviceRegistry registry) {
    this.registry = registry;
  }

  /** Whether this registration uploads for others rather than for itself. */
  public static boolean isGateway(DeviceRegistration device) {
    return device.protocol() == DeviceProtocol.GATEWAY;
  }

  /** The upload's items grouped by the device each belongs to; indexes stay the upload's own. */
  public List<AttributedItems> attribute(DeviceRegistration gateway, List<DecodedPing> items) {
    Map<UUID, DeviceRegistration> devices = new LinkedHashMap<>();
    Map<UUID, List<DecodedPing>> groups = new LinkedHashMap<>();
    for (DecodedPing item : items) {
      DeviceRegistration owner = gateway;
      DecodedPing attributed = item;
      if (item.malformed() == null) {
        byte[] original = item.original().get();
        String identifier = RelayedDevice.named(original);
        Optional<DeviceRegistration> relayed =
            identifier == null || !gateway.relays(identifier)
                ? Optional.empty()
                : registry
                    .find(new DeviceKey(DeviceProtocol.HTTP, identifier))
                    .filter(device -> device.fleetId().equals(gateway.fleetId()));
        if (identifier == null) {
          attributed = refused(item, original, Rejection.MALFORMED, NO_DEVICE);
        } else if (!gateway.relays(identifier)) {
          attributed =
              refused(
                  item,
                  original,
                  Rejection.NOT_RELAYED,
                  "device " + DeviceText.quoted(identifier) + " is not relayed by this gateway");
        } else if (relayed.isEmpty()) {
          attributed =
              refused(
                  item,
                  original,
                  Rejection.UNKNOWN_DEVICE,
                  "device " + DeviceText.quoted(identifier) + " is not registered");
        } else {
          owner = relayed.get();
          if (!owner.enabled()) {
            attributed =
                refused(
                    item,
                    original,
                    Rejection.DEVICE_DISABLED,
                    "device " + DeviceText.quoted(identifier) + " is disabled");
          }
        }
      }
      devices.putIfAbsent(owner.deviceId(), owner);
      groups.computeIfAbsent(owner.deviceId(), id -> new ArrayList<>()).add(attributed);
    }
    List<AttributedItems> attributed = new ArrayList<>(groups.size());
    groups.forEach((id, group) -> attributed.add(new AttributedItems(devices.get(id), group)));
    return attributed;
  }

  private static final String NO_DEVICE =
      "a gateway names the device of each ping in 'device' (its registered identifier)";

  private static DecodedPing refused(
      DecodedPing item, byte[] original, String reason, String detail) {
    return DecodedPing.rejected(item.index(), original, new Rejection(reason, detail));
  }
}
