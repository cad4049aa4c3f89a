package io.fleetline.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import org.springframework.core.io.Resource;

/** Loads the RSA key that signs access tokens from a PKCS#8 PEM, or generates one for tests. */
final class SigningKeys {

  private SigningKeys() {}

  static RSAKey load(Resource pem) {
    try (InputStream in = pem.getInputStream()) {
      String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
        throw new IllegalStateException(
            pem
                + " is not a PKCS#8 PEM private key ('-----BEGIN PRIVATE KEY-----'); make one with"
                + " 'openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048'");
      }
      String base64 =
          text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
      KeyFactory rsa = KeyFactory.getInstance("RSA");
      var privateKey =
          (RSAPrivateCrtKey)
              rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
      var publicKey =
          (RSAPublicKey)
              rsa.generatePublic(
                  new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
      return withThumbprintId(new RSAKey.Builder(publicKey).privateKey(privateKey));
    } catch (IOException | GeneralSecurityException | ClassCastException e) {
      throw new IllegalStateException("cannot read the token signing key " + pem + ": " + e, e);
    }
  }

  static RSAKey generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      var pair = generator.generateKeyPair();
      return withThumbprintId(
          new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey(pair.getPrivate()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RSAKey withThumbprintId(RSAKey.Builder builder) {
    try {
      return builder.keyIDFromThumbprint().build();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
