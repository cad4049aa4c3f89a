package io.fleetline.ingest.coap;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.ingest.intake.IntakeResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Response;
import org.junit.jupiter.api.Test;

class CoapRepliesTest {

  static final IntakeResult MANY_REJECTED =
      new IntakeResult(
          3,
          IntStream.range(0, 20)
              .mapToObj(
                  i ->
                      new IntakeResult.ItemRejection(
                          i, "latitude_out_of_range", "latitude must be within -90..90"))
              .toList());

  @Test
  void aResultThatFitsIsAnsweredWhole() {
    Response response = CoapReplies.result(MANY_REJECTED, 100_000);

    assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
    assertThat(response.getPayloadString()).contains("latitude must be within");
  }

  @Test
  void aResultLargerThanTheRequestLosesItsDetailsThenItsList() {
    Response withoutDetails = CoapReplies.result(MANY_REJECTED, 1000);
    Response counts = CoapReplies.result(MANY_REJECTED, 100);
    Response nothing = CoapReplies.result(MANY_REJECTED, 10);

    assertThat(withoutDetails.getPayloadSize()).isLessThanOrEqualTo(1000);
    assertThat(withoutDetails.getPayloadString())
        .contains("\"reason\":\"latitude_out_of_range\"")
        .doesNotContain("within");
    assertThat(counts.getPayloadString()).contains("\"rejected\":20").contains("\"accepted\":3");
    assertThat(nothing.getPayloadSize()).isZero();
    assertThat(nothing.getCode()).isEqualTo(ResponseCode.CHANGED);
  }

  @Test
  void aTextIsCutToTheRequestsSizeOnACharacterBoundary() {
    Response response = CoapReplies.text(ResponseCode.BAD_REQUEST, "malformed: ééééé", 14);

    assertThat(response.getPayloadSize()).isLessThanOrEqualTo(14);
    assertThat(new String(response.getPayload(), StandardCharsets.UTF_8)).isEqualTo("malformed: é");
  }

  @Test
  void noPingAcceptedIsBadRequest() {
    Response response =
        CoapReplies.result(
            new IntakeResult(0, List.of(new IntakeResult.ItemRejection(0, "null_island", "0,0"))),
            1000);

    assertThat(response.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
  }
}
