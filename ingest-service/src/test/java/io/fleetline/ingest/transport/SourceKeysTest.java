package io.fleetline.ingest.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class SourceKeysTest {

  @Test
  void ipv6AddressesOfOneSlash64ShareTheirKey() throws Exception {
    assertThat(SourceKeys.of("2001:db8:1:2:aaaa:bbbb:cccc:dddd"))
        .isEqualTo(SourceKeys.of("2001:db8:1:2::1"))
        .isEqualTo(SourceKeys.of(InetAddress.getByName("2001:db8:1:2:ffff::7")))
        .isEqualTo("2001:db8:1:2:0:0:0:0/64");
    assertThat(SourceKeys.of("2001:db8:1:3::1")).isNotEqualTo(SourceKeys.of("2001:db8:1:2::1"));
  }

  @Test
  void ipv4AddressesAreTheirOwnKey() throws Exception {
    assertThat(SourceKeys.of("127.0.0.2")).isEqualTo("127.0.0.2");
    assertThat(SourceKeys.of(InetAddress.getByName("10.1.2.3"))).isEqualTo("10.1.2.3");
    assertThat(SourceKeys.of("127.0.0.2")).isNotEqualTo(SourceKeys.of("127.0.0.3"));
  }

  @Test
  void textThatIsNoAddressIsNeverLookedUp() {
    assertThat(SourceKeys.of("not:an-address")).isEqualTo("not:an-address");
    assertThat(SourceKeys.of("localhost")).isEqualTo("localhost");
    assertThat(SourceKeys.of((String) null)).isEmpty();
  }
}
