package io.fleetline.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the platform is, for every mode: each setting from its flag, else from the environment,
 * else from the env file that the local stack writes.
 */
final class PlatformOptions {

  static final Path LOCAL_ENV_FILE = Path.of(".local/fleetline.env");

  static final String API_URL = "FLEETLINE_API_URL";
  static final String CLIENT_ID = "FLEETLINE_DEMO_CLIENT_ID";
  static final String CLIENT_SECRET = "FLEETLINE_DEMO_CLIENT_SECRET";
  static final String INGEST_URL = "FLEETLINE_INGEST_URL";
  static final String OSMAND_URL = "FLEETLINE_OSMAND_URL";
  static final String TELTONIKA_ADDR = "FLEETLINE_TELTONIKA_ADDR";
  static final String MQTT_URL = "FLEETLINE_MQTT_URL";
  static final String COAP_URL = "FLEETLINE_COAP_URL";

  /** The settings once flags, environment and env file are merged; null where not needed. */
  record Endpoints(
      String apiUrl,
      String clientId,
      String clientSecret,
      String ingestUrl,
      String osmandUrl,
      String teltonikaAddr,
      String mqttUrl,
      String coapUrl) {}

  @Option(
      names = "--env-file",
      paramLabel = "PATH",
      description =
          "read FLEETLINE_* settings from this file (default: .local/fleetline.env when it exists)")
  private Path envFile;

  @Option(
      names = "--api-url",
      paramLabel = "URL",
      description = "fleet-api base URL (else " + API_URL + ")")
  private String apiUrl;

  @Option(
      names = "--client-id",
      paramLabel = "ID",
      description = "fleet client with fleet.write (else " + CLIENT_ID + ")")
  private String clientId;

  @Option(
      names = "--client-secret",
      paramLabel = "SECRET",
      description = "its secret (else " + CLIENT_SECRET + ")")
  private String clientSecret;

  @Option(
      names = "--ingest-url",
      paramLabel = "URL",
      description = "ingest base URL, for HTTP JSON devices (else " + INGEST_URL + ")")
  private String ingestUrl;

  @Option(
      names = "--osmand-url",
      paramLabel = "URL",
      description = "OsmAnd endpoint base URL (else " + OSMAND_URL + ")")
  private String osmandUrl;

  @Option(
      names = "--teltonika-addr",
      paramLabel = "HOST:PORT",
      description = "Teltonika TCP listener (else " + TELTONIKA_ADDR + ")")
  private String teltonikaAddr;

  @Option(
      names = "--mqtt-url",
      paramLabel = "URL",
      description =
          "MQTT broker, tcp://host:port (else "
              + MQTT_URL
              + "); each MQTT vehicle logs in as its own device")
  private String mqttUrl;

  @Option(
      names = "--coap-url",
      paramLabel = "URL",
      description =
          "ingest's CoAP listener, coap://host:port (else "
              + COAP_URL
              + "); CoAP vehicles are http devices sending with their token")
  private String coapUrl;

  /**
   * The endpoints that the fleet's protocols need; the flags win over {@code environment}, which
   * wins over the env file.
   *
   * @throws IllegalArgumentException naming the flag (and the variable) of a setting found nowhere
   *     or not of its form
   */
  Endpoints resolve(Map<String, String> environment, ProtocolMix protocols) throws IOException {
    Map<String, String> settings = new HashMap<>(envFile());
    settings.putAll(environment);
    String teltonika =
        protocols.includes(Protocol.TELTONIKA)
            ? required(teltonikaAddr, "--teltonika-addr", settings, TELTONIKA_ADDR)
            : null;
    if (teltonika != null && !isHostPort(teltonika)) {
      throw new IllegalArgumentException(
          "--teltonika-addr must be host:port, was '" + teltonika + "'");
    }
    return new Endpoints(
        required(apiUrl, "--api-url", settings, API_URL),
        required(clientId, "--client-id", settings, CLIENT_ID),
        required(clientSecret, "--client-secret", settings, CLIENT_SECRET),
        protocols.includes(Protocol.HTTP)
            ? required(ingestUrl, "--ingest-url", settings, INGEST_URL)
            : or(ingestUrl, settings.get(INGEST_URL)),
        protocols.includes(Protocol.OSMAND)
            ? required(osmandUrl, "--osmand-url", settings, OSMAND_URL)
            : null,
        teltonika,
        protocols.includes(Protocol.MQTT)
            ? required(mqttUrl, "--mqtt-url", settings, MQTT_URL)
            : null,
        protocols.includes(Protocol.COAP)
            ? required(coapUrl, "--coap-url", settings, COAP_URL)
            : null);
  }

  private Map<String, String> envFile() throws IOException {
    Path file = envFile == null ? LOCAL_ENV_FILE : envFile;
    if (!Files.exists(file)) {
      if (envFile != null) {
        throw new IllegalArgumentException("--env-file " + envFile + " does not exist");
      }
      return Map.of();
    }
    Map<String, String> values = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      int eq = line.indexOf('=');
      if (eq > 0 && !line.startsWith("#")) {
        values.put(line.substring(0, eq).strip(), unquote(line.substring(eq + 1).strip()));
      }
    }
    return values;
  }

  private static String required(
      String flagValue, String flag, Map<String, String> settings, String variable) {
    String value = or(flagValue, settings.get(variable));
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          flag + " is required (or " + variable + " in the environment or env file)");
    }
    return value;
  }

  private static String or(String flagValue, String setting) {
    return flagValue != null ? flagValue : setting;
  }

  private static boolean isHostPort(String value) {
    int colon = value.lastIndexOf(':');
    return colon > 0 && value.substring(colon + 1).matches("\\d{1,5}");
  }

  private static String unquote(String value) {
    if (value.length() >= 2
        && (value.startsWith("'") && value.endsWith("'")
            || value.startsWith("\"") && value.endsWith("\""))) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }
}
