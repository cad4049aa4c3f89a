package io.fleetline.api.webhook;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Makes and keeps subscriptions' signing secrets. A secret must be usable for signing, so it cannot
 * be hashed: with an operator key it is stored encrypted (AES-GCM, the subscription id as
 * associated data so that a value copied to another row does not open), without one in the clear.
 */
@Component
class SecretVault {

  private static final Logger log = LoggerFactory.getLogger(SecretVault.class);

  static final String DISPLAY_PREFIX = "whsec_";
  private static final String SEALED = "aesgcm:";
  private static final String PLAIN = "plain:";
  private static final int SECRET_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecureRandom random = new SecureRandom();
  private final SecretKeySpec key;

  SecretVault(WebhookProperties properties) {
    String configured = properties.secretEncryptionKey();
    if (configured == null || configured.isBlank()) {
      key = null;
      log.warn(
          "Webhook signing secrets are stored unencrypted: set fleetline.webhooks."
              + "secret-encryption-key (FLEETLINE_WEBHOOKS_SECRET_ENCRYPTION_KEY) to a base64"
              + " AES key of 32 bytes to encrypt them");
    } else {
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(configured.strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(
            "fleetline.webhooks.secret-encryption-key must be base64", e);
      }
      if (bytes.length != 16 && bytes.length != 24 && bytes.length != 32) {
        throw new IllegalStateException(
            "fleetline.webhooks.secret-encryption-key must be 16, 24 or 32 bytes (base64), not "
                + bytes.length);
      }
      key = new SecretKeySpec(bytes, "AES");
    }
  }

  /** A new random signing key. */
  byte[] newSecret() {
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(secret);
    return secret;
  }

  /** The secret as the fleet is shown it once: {@code whsec_} and the key in base64. */
  static String display(byte[] secret) {
    return DISPLAY_PREFIX + Base64.getEncoder().encodeToString(secret);
  }

  /** The value stored for the subscription's secret. */
  String seal(UUID subscriptionId, byte[] secret) {
    if (key == null) {
      return PLAIN + Base64.getEncoder().encodeToString(secret);
    }
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(subscriptionId.toString().getBytes(StandardCharsets.US_ASCII));
      byte[] sealed = cipher.doFinal(secret);
      return SEALED
          + Base64.getEncoder()
              .encodeToString(
                  ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Encrypting a webhook secret failed", e);
    }
  }

  /** The signing key from its stored value; throws when it cannot be read with this key. */
  byte[] open(UUID subscriptionId, String stored) {
    if (stored.startsWith(PLAIN)) {
      return Base64.getDecoder().decode(stored.substring(PLAIN.length()));
    }
    if (!stored.startsWith(SEALED)) {
      throw new IllegalStateException("the stored secret has an unknown form");
    }
    if (key == null) {
      throw new IllegalStateException(
          "the secret is encrypted but no fleetline.webhooks.secret-encryption-key is set");
    }
    try {
      byte[] sealed = Base64.getDecoder().decode(stored.substring(SEALED.length()));
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
      cipher.updateAAD(subscriptionId.toString().getBytes(StandardCharsets.US_ASCII));
      return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "the secret cannot be decrypted with the configured secret-encryption-key");
    }
  }
}
