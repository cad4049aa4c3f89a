package io.fleetline.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Device bearer tokens: fleet-api issues them, the registry carries only their SHA-256 hash, and
 * ingest hashes what a device presents to look it up. Tokens carry 256 bits of randomness, so an
 * unsalted fast hash is the right tool (nothing to brute-force).
 */
public final class DeviceTokens {

  private static final SecureRandom RANDOM = new SecureRandom();

  private DeviceTokens() {}

  /** A new random token, URL-safe, prefixed so that leaked tokens are recognisable in scanners. */
  public static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "fld_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Lower-case hex SHA-256 of the token's UTF-8 bytes. */
  public static String sha256Hex(String token) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JRE has SHA-256", e);
    }
  }

  /** Compares two hashes in time independent of where they differ. */
  public static boolean hashesEqual(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }
}
