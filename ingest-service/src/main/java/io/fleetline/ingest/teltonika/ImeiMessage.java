package io.fleetline.ingest.teltonika;

/** The first message of a Teltonika connection: the device introduces itself by its IMEI. */
record ImeiMessage(String imei) {}
