package io.fleetline.ingest.teltonika;

import io.fleetline.common.DeviceRegistration;

/** Pipeline event: the connection's IMEI handshake was accepted for this device. */
record DeviceIdentified(DeviceRegistration device) {}
