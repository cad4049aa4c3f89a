package io.fleetline.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class DeviceLinkSourceTest {

  @Test
  void linksToALoopbackTargetEachConnectFromTheirOwnLoopbackAddress() {
    InetSocketAddress target = new InetSocketAddress("127.0.0.1", 5055);

    assertThat(DeviceLink.sourceFor(target, 0)).isEqualTo(new InetSocketAddress("127.1.0.1", 0));
    assertThat(DeviceLink.sourceFor(target, 249))
        .isEqualTo(new InetSocketAddress("127.1.0.250", 0));
    assertThat(DeviceLink.sourceFor(target, 250)).isEqualTo(new InetSocketAddress("127.1.1.1", 0));
    assertThat(DeviceLink.sourceFor(target, 10_000))
        .isEqualTo(new InetSocketAddress("127.1.40.1", 0));
  }

  @Test
  void elsewhereTheSystemChoosesTheSource() {
    assertThat(DeviceLink.sourceFor(new InetSocketAddress("10.0.0.7", 5055), 3)).isNull();
  }
}
