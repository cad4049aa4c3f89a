package io.fleetline.ingest.osmand;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OsmandRequestTargetTest {

  @Test
  void anOriginFormTargetStaysAsItIs() {
    assertThat(OsmandConnection.requestTarget("/?id=7&lat=1")).isEqualTo("/?id=7&lat=1");
  }

  @Test
  void rawUtf8BytesInTheTargetAreReadAsUtf8() {
    String asDecoded =
        new String("/?id=wagen-ä".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);

    assertThat(OsmandConnection.requestTarget(asDecoded)).isEqualTo("/?id=wagen-ä");
  }

  @Test
  void anAbsoluteFormTargetIsReducedToItsPathAndQuery() {
    assertThat(OsmandConnection.requestTarget("http://host:5055/?id=7")).isEqualTo("/?id=7");
    assertThat(OsmandConnection.requestTarget("http://host:5055?id=7")).isEqualTo("/?id=7");
    assertThat(OsmandConnection.requestTarget("http://host:5055")).isEqualTo("/");
    assertThat(OsmandConnection.requestTarget("http://host:5055/other")).isEqualTo("/other");
  }
}
