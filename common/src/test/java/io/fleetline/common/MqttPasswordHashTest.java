package io.fleetline.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class MqttPasswordHashTest {

  // Produced by Debian's mosquitto_passwd 2.0.11: mosquitto_passwd -b file device-1 fld_secret
  static final String MOSQUITTO_PASSWD_ASCII =
      "$7$101$N1h8Q40zUc5pQOZk$lneFmajGxzihgYiCcTjyTtGFSKs+T5AFxTEuG1HZp4pb5zS8304NV8kDj7tPWQcJ3xFr"
          + "Ra10wv+XpGzPBv1+vQ==";

  // mosquitto_passwd -b file ingest pässwort-ingest (UTF-8 terminal)
  static final String MOSQUITTO_PASSWD_UTF8 =
      "$7$101$FshqYD7DToWREKO6$fYJ/LoX8qrgFqnqvTEj1Wb5kuqzWudSik5aEoVLHzkgxS5d9SZKpTNe0/i98oePB1lcB"
          + "prVg7+CZALQg2Cgi4g==";

  @Test
  void encodingMatchesMosquittoPasswdForTheSameSalt() {
    assertThat(
            MqttPasswordHash.of("fld_secret", Base64.getDecoder().decode("N1h8Q40zUc5pQOZk"), 101))
        .isEqualTo(MOSQUITTO_PASSWD_ASCII);
    assertThat(
            MqttPasswordHash.of(
                "pässwort-ingest", Base64.getDecoder().decode("FshqYD7DToWREKO6"), 101))
        .isEqualTo(MOSQUITTO_PASSWD_UTF8);
  }

  @Test
  void aFreshHashVerifiesOnlyItsOwnPassword() {
    String hash = MqttPasswordHash.of("fld_token", MqttPasswordHash.DEVICE_TOKEN_ITERATIONS);

    assertThat(hash).startsWith("$7$101$").doesNotContain(":");
    assertThat(MqttPasswordHash.matches("fld_token", hash)).isTrue();
    assertThat(MqttPasswordHash.matches("fld_other", hash)).isFalse();
    assertThat(MqttPasswordHash.matches("fld_secret", MOSQUITTO_PASSWD_ASCII)).isTrue();
    assertThat(MqttPasswordHash.matches("x", "$6$not-pbkdf2")).isFalse();
  }

  @Test
  void colonsAndLineBreaksCannotEnterThePasswordFile() {
    assertThat(MqttPasswordHash.fitsPasswordFile("tracker-9")).isTrue();
    assertThat(MqttPasswordHash.fitsPasswordFile("a:b")).isFalse();
    assertThat(MqttPasswordHash.fitsPasswordFile("a\nb:$7$1$x$y")).isFalse();
    assertThat(MqttPasswordHash.fitsPasswordFile("")).isFalse();
  }
}
