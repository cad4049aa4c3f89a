package io.fleetline.ingest.intake;

import io.fleetline.common.DeviceRegistration;
import java.util.List;

/** The items of an upload that belong to one device, e.g. of a gateway's upload for many. */
public record AttributedItems(DeviceRegistration device, List<DecodedPing> items) {}
