package io.fleetline.api.user;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * People's passwords: hashed with Argon2id, which makes each guess cost memory as well as time, so
 * that guessing a stolen hash on graphics cards gains little (scrypt would too; Argon2id is the
 * first choice of OWASP's password storage guidance). The length is bounded on both sides: too
 * short is easy to guess, and an unbounded one would let a single sign-in request hash megabytes.
 */
@Component
public class UserPasswords {

  public static final int MIN_LENGTH = 12;
  public static final int MAX_LENGTH = 128;

  private static final SecureRandom RANDOM = new SecureRandom();

  // 19 MiB, 2 passes, one lane: OWASP's recommended minimum for Argon2id.
  private final Argon2PasswordEncoder encoder = new Argon2PasswordEncoder(16, 32, 1, 19456, 2);
  private final String unmatchableHash = encoder.encode(generate());

  /** Why the password may not be used, or {@code null} when it may. */
  static String problem(String password) {
    if (password.length() < MIN_LENGTH) {
      return "a password has at least " + MIN_LENGTH + " characters";
    }
    if (password.length() > MAX_LENGTH) {
      return "a password has at most " + MAX_LENGTH + " characters";
    }
    if (password.chars().anyMatch(Character::isISOControl)) {
      return "a password holds no control characters";
    }
    return null;
  }

  String hash(String password) {
    return encoder.encode(password);
  }

  /** A random password of 32 characters (192 bits), shown once to whoever created it. */
  static String generate() {
    byte[] value = new byte[24];
    RANDOM.nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }

  /**
   * Whether the password is the person's; a password over the maximum length is refused without
   * hashing. Without a person (an unknown email) a hash is checked all the same, so the answer
   * takes as long and does not tell which emails exist.
   */
  public boolean matches(String password, FleetUser user) {
    if (password == null
        || password.length() > MAX_LENGTH
        || password.getBytes(StandardCharsets.UTF_8).length > 4 * MAX_LENGTH) {
      return false;
    }
    if (user == null) {
      encoder.matches(password, unmatchableHash);
      return false;
    }
    return encoder.matches(password, user.passwordHash());
  }
}
