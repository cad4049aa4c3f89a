package io.fleetline.ingest.teltonika;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc16IbmTest {

  @Test
  void asciiDigitsGiveTheCatalogueCheckValue() {
    // CRC-16/ARC (= CRC-16/IBM) check value from the CRC catalogue: "123456789" -> 0xBB3D.
    byte[] digits = "123456789".getBytes(StandardCharsets.US_ASCII);

    assertThat(Crc16Ibm.of(digits)).isEqualTo(0xBB3D);
    assertThat(Crc16Ibm.of(Unpooled.wrappedBuffer(digits), 0, digits.length)).isEqualTo(0xBB3D);
    assertThat(AvlFrames.crc16Ibm(digits)).isEqualTo(0xBB3D);
  }

  @Test
  void tableDrivenCrcMatchesTheBitwiseDefinition() {
    Random random = new Random(42);
    for (int i = 0; i < 200; i++) {
      byte[] bytes = new byte[random.nextInt(1500)];
      random.nextBytes(bytes);

      assertThat(Crc16Ibm.of(bytes)).isEqualTo(AvlFrames.crc16Ibm(bytes));
    }
  }

  @Test
  void crcOfASliceCoversOnlyThatSlice() {
    byte[] framed = HexFormat.of().parseHex("FF" + "313233343536373839" + "FF");

    assertThat(Crc16Ibm.of(Unpooled.wrappedBuffer(framed), 1, 9)).isEqualTo(0xBB3D);
  }

  @Test
  void theWikisCodec8ExtendedExampleCarriesTheCrcWeCompute() {
    byte[] packet = HexFormat.of().parseHex(TeltonikaExamples.WIKI_CODEC_8E);
    int dataLength = 0x4A;

    assertThat(Crc16Ibm.of(Unpooled.wrappedBuffer(packet), 8, dataLength)).isEqualTo(0x2994);
  }
}
