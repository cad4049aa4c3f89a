package io.fleetline.simulator;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the simulator was asked to do, from the command line ({@link SimulatorCommand}), the
 * environment and an env file: the settings a run reads.
 */
record SimulatorOptions(
    String mode,
    String apiUrl,
    String ingestUrl,
    String osmandUrl,
    String teltonikaAddr,
    String mqttUrl,
    String clientId,
    String clientSecret,
    int vehicles,
    ProtocolMix protocols,
    Duration interval,
    double centreLat,
    double centreLon,
    double radiusM,
    double blockM,
    Duration duration,
    Duration history,
    long seed,
    String runId,
    double ratePerSecond,
    int batch,
    int concurrency,
    double invalidRatio,
    double gpsNoiseM,
    double gpsJumpRatio,
    Duration retryFor,
    Path truthDir,
    String summaryFile,
    int connections,
    Duration warmup,
    String windowFile,
    String coapUrl) {}
