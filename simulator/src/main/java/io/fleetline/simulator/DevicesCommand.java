package io.fleetline.simulator;

import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The devices mode's command line: devices as they really report, measured over a window. */
@Command(
    name = "devices",
    sortOptions = false,
    abbreviateSynopsis = true,
    description = {
      "Devices as they really report, one ping per message with event time now, all connections"
          + " on two event-loop threads: each device on its own connection (OsmAnd and HTTP JSON"
          + " kept alive, MQTT, Teltonika) pings every --interval, phases spread over the"
          + " interval, one ping in flight (a tick that finds it unacknowledged is late); or with"
          + " --connections C, the closed loop: OsmAnd or HTTP JSON devices take turns on C"
          + " kept-alive connections, each sending the next request as soon as the last is"
          + " answered. Connections open 500 a second; once every device was acknowledged once,"
          + " --warmup, then a window of --duration is measured (acknowledged/s, acknowledgement"
          + " latency, the simulator's own CPU). Valid pings only."
    })
final class DevicesCommand extends ModeCommand {

  @Mixin WindowFileOption window;

  @Option(
      names = "--duration",
      paramLabel = "SECONDS",
      defaultValue = "60",
      converter = OptionTypes.PositiveSeconds.class,
      description = "the measured window (default: ${DEFAULT-VALUE})")
  Duration duration;

  @Option(
      names = "--warmup",
      paramLabel = "SECONDS",
      defaultValue = "20",
      converter = OptionTypes.Seconds.class,
      description =
          "time between every device acknowledged once and the window (default:"
              + " ${DEFAULT-VALUE})")
  Duration warmup;

  @Option(
      names = "--connections",
      paramLabel = "C",
      converter = OptionTypes.PositiveInt.class,
      description =
          "the closed loop over C kept-alive connections (one protocol, osmand or http; default:"
              + " each device on its own connection)")
  Integer connections;

  @Override
  void check() {
    ProtocolMix protocols = fleet.protocols;
    if (protocols.includes(Protocol.COAP)) {
      throw new IllegalArgumentException(
          "the devices mode has no CoAP devices, got --protocols "
              + protocols
              + "; send coap with the load or demo mode");
    }
    if (connections != null
        && (protocols.weights().size() != 1
            || !(protocols.includes(Protocol.OSMAND) || protocols.includes(Protocol.HTTP)))) {
      throw new IllegalArgumentException(
          "--connections (the closed loop) takes one protocol, osmand or http, got --protocols "
              + protocols
              + "; MQTT and Teltonika devices each keep their own connection: leave out"
              + " --connections");
    }
  }

  @Override
  Duration duration() {
    return duration;
  }

  @Override
  Duration warmup() {
    return warmup;
  }

  @Override
  int connections() {
    return connections == null ? 0 : connections;
  }

  @Override
  String windowFile() {
    return window.windowFile;
  }
}
