package io.fleetline.api.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The token bucket's arithmetic, with time passed in. */
class TokenBucketTest {

  static final long SECOND = 1_000_000_000L;

  @Test
  void aBurstIsGrantedThenRequestsWaitForTheRefill() {
    TokenBucket bucket = new TokenBucket(2, 4, 0);

    for (int i = 0; i < 4; i++) {
      assertThat(bucket.tryTake(0)).isZero();
    }
    assertThat(bucket.tryTake(0)).as("half a second until the next token").isEqualTo(SECOND / 2);
    assertThat(bucket.tryTake(SECOND / 2)).isZero();
    assertThat(bucket.tryTake(SECOND / 2)).isPositive();
  }

  @Test
  void anIdleBucketFillsOnlyToItsCapacity() {
    TokenBucket bucket = new TokenBucket(10, 3, 0);
    long later = 3600 * SECOND;
    for (int i = 0; i < 3; i++) {
      assertThat(bucket.tryTake(later)).isZero();
    }
    assertThat(bucket.tryTake(later)).isPositive();
  }
}
