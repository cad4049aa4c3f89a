package io.fleetline.simulator;

/**
 * Device identifiers of one run: {@code sim-<run>-<n>}, and for Teltonika a 15-digit IMEI ({@code
 * 35}, six digits of the run, six of the vehicle, Luhn check digit) since fleet-api accepts nothing
 * else there.
 */
final class Identifiers {

  private Identifiers() {}

  static String of(Protocol protocol, String runId, int vehicle) {
    if (protocol != Protocol.TELTONIKA) {
      return "sim-" + runId + "-" + vehicle;
    }
    if (vehicle > 999_999) {
      throw new IllegalArgumentException("at most 999999 Teltonika vehicles per run");
    }
    String body = String.format("35%06d%06d", Math.floorMod(runId.hashCode(), 1_000_000), vehicle);
    return body + luhn(body);
  }

  /** The Luhn check digit of an IMEI's first 14 digits. */
  static int luhn(String digits) {
    int sum = 0;
    for (int i = 0; i < digits.length(); i++) {
      int d = digits.charAt(digits.length() - 1 - i) - '0';
      if (i % 2 == 0) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
    }
    return (10 - sum % 10) % 10;
  }
}
