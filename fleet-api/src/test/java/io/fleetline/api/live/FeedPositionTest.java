package io.fleetline.api.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Event ids as positions in the feed: written and read back, and hostile ones refused. */
class FeedPositionTest {

  @Test
  void anIdReadsBackAsThePositionItWasWrittenFrom() {
    FeedPosition position =
        new FeedPosition(new long[] {0, 71, 1_234_567_890_123L}, new long[] {5});

    assertThat(position.id()).isEqualTo("k0.1z.fr5hugnf_5");
    assertThat(FeedPosition.parse(position.id())).isEqualTo(position);
  }

  @Test
  void idsOfAnotherFormOrOutOfRangeNameNoPosition() {
    assertThat(FeedPosition.parse("3f2a9c-1042")).isNull();
    assertThat(FeedPosition.parse("k1.2")).isNull();
    assertThat(FeedPosition.parse("k-1_0")).isNull();
    assertThat(FeedPosition.parse("k+1_0")).isNull();
    assertThat(FeedPosition.parse("k1..2_0")).isNull();
    assertThat(FeedPosition.parse("kzzzzzzzzzzzzzzzzzzzz_0")).isNull();
    assertThat(FeedPosition.parse("k" + "0.".repeat(2000) + "0_0")).isNull();
  }

  @Test
  void aPositionIsAtOrAfterAnotherOnlyInEveryPartition() {
    FeedPosition earlier = new FeedPosition(new long[] {3, 4}, new long[] {1});
    FeedPosition later = new FeedPosition(new long[] {3, 5}, new long[] {1});

    assertThat(later.atOrAfter(earlier)).isTrue();
    assertThat(earlier.atOrAfter(later)).isFalse();
    assertThat(earlier.with(false, 0, 0).atOrAfter(earlier)).isFalse();
  }
}
