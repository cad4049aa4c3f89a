package io.fleetline.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ProtocolMixTest {

  static Map<Protocol, Long> counts(List<Protocol> protocols) {
    return protocols.stream()
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  @Test
  void splitsTheFleetByLargestRemainder() {
    ProtocolMix mix = ProtocolMix.parse("http=50,osmand=20,mqtt=20,teltonika=10");
    assertThat(counts(mix.assign(100)))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                Protocol.HTTP,
                50L,
                Protocol.OSMAND,
                20L,
                Protocol.MQTT,
                20L,
                Protocol.TELTONIKA,
                10L));
    // 7 vehicles: exact shares 3.5, 1.4, 1.4, 0.7 -> 3 + 1 + 1 + 0, then the largest remainders
    assertThat(counts(mix.assign(7)))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                Protocol.HTTP, 4L, Protocol.OSMAND, 1L, Protocol.MQTT, 1L, Protocol.TELTONIKA, 1L));
  }

  @Test
  void equalWeightsGiveEqualShares() {
    assertThat(counts(ProtocolMix.parse("http,osmand,mqtt,teltonika").assign(12)).values())
        .containsOnly(3L);
  }

  @Test
  void theProtocolsAreInterleavedSoThatAnyPrefixIsMixed() {
    List<Protocol> assigned =
        ProtocolMix.parse("http=1,osmand=1,mqtt=1,teltonika=1,coap=1").assign(10);
    assertThat(assigned.subList(0, 5)).containsExactlyInAnyOrder(Protocol.values());
  }

  @Test
  void zeroWeightsDropAProtocol() {
    ProtocolMix mix = ProtocolMix.parse("http=1,mqtt=0");
    assertThat(mix.includes(Protocol.MQTT)).isFalse();
    assertThat(mix.assign(5)).containsOnly(Protocol.HTTP);
  }
}
