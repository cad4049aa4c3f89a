package io.fleetline.common;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Mosquitto 2.0 password-file hashes ({@code $7$<iterations>$<base64 salt>$<base64 hash>}: PBKDF2
 * with HMAC-SHA512, a 12-byte salt and a 64-byte derived key, standard Base64 with padding), the
 * form in which a broker checks a device's token. fleet-api computes one when it issues a token,
 * since only then does it hold the token in plain.
 */
public final class MqttPasswordHash {

  /**
   * Device tokens carry 256 random bits, so the iteration count does not protect them; a low count
   * keeps each broker login cheap. Mosquitto's own tool uses 101.
   */
  public static final int DEVICE_TOKEN_ITERATIONS = 101;

  private static final int SALT_BYTES = 12;
  private static final int HASH_BITS = 512;
  private static final SecureRandom RANDOM = new SecureRandom();

  private MqttPasswordHash() {}

  /** A password-file hash of this password with a fresh random salt. */
  public static String of(String password, int iterations) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return of(password, salt, iterations);
  }

  /** A password-file hash of this password with the given salt. */
  public static String of(String password, byte[] salt, int iterations) {
    Base64.Encoder base64 = Base64.getEncoder();
    return "$7$"
        + iterations
        + "$"
        + base64.encodeToString(salt)
        + "$"
        + base64.encodeToString(pbkdf2(password, salt, iterations));
  }

  /** Whether this password matches a {@code $7$} hash; false for anything unreadable. */
  public static boolean matches(String password, String hash) {
    String[] parts = hash.split("\\$", -1);
    if (parts.length != 5 || !parts[0].isEmpty() || !parts[1].equals("7")) {
      return false;
    }
    try {
      int iterations = Integer.parseInt(parts[2]);
      byte[] salt = Base64.getDecoder().decode(parts[3]);
      return MessageDigest.isEqual(
          Base64.getDecoder().decode(parts[4]), pbkdf2(password, salt, iterations));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Whether a value can stand in a password file as written: Mosquitto splits each line at its
   * colons, so a username or hash may hold no colon, no line break and no control character.
   */
  public static boolean fitsPasswordFile(String value) {
    return value != null
        && !value.isEmpty()
        && value.chars().noneMatch(c -> c == ':' || c < 0x20 || c == 0x7f);
  }

  private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
    if (iterations < 1) {
      throw new IllegalArgumentException("iterations must be positive");
    }
    // PBEKeySpec takes chars; Mosquitto hashes the password's bytes, which for UTF-8 input the
    // JDK's PBKDF2 reproduces (it encodes the chars as UTF-8).
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JRE has PBKDF2WithHmacSHA512", e);
    } finally {
      spec.clearPassword();
    }
  }
}
