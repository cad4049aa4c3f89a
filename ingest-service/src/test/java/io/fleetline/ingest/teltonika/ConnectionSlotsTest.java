package io.fleetline.ingest.teltonika;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ConnectionSlotsTest {

  @Test
  void handshakesFromOneIpv6Slash64AreCountedTogether() throws Exception {
    ConnectionSlots slots = new ConnectionSlots(2, 1);

    assertThat(slots.startHandshake(InetAddress.getByName("2001:db8:5:6::1"))).isTrue();
    assertThat(slots.startHandshake(InetAddress.getByName("2001:db8:5:6::2"))).isTrue();
    assertThat(slots.startHandshake(InetAddress.getByName("2001:db8:5:6:abcd::3"))).isFalse();
    assertThat(slots.startHandshake(InetAddress.getByName("2001:db8:5:7::1"))).isTrue();

    slots.endHandshake(InetAddress.getByName("2001:db8:5:6::1"));
    assertThat(slots.startHandshake(InetAddress.getByName("2001:db8:5:6::9"))).isTrue();
  }
}
