package io.fleetline.api.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code webhook-signature} header of the Standard Webhooks conventions: for every key, {@code
 * v1,} and the base64 HMAC-SHA256 of {@code "<webhook-id>.<webhook-timestamp>.<body>"}, separated
 * by spaces.
 */
final class Signatures {

  private Signatures() {}

  static String header(List<byte[]> keys, String messageId, long timestampSeconds, byte[] body) {
    StringJoiner header = new StringJoiner(" ");
    for (byte[] key : keys) {
      header.add("v1," + sign(key, messageId, timestampSeconds, body));
    }
    return header.toString();
  }

  static String sign(byte[] key, String messageId, long timestampSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }
}
