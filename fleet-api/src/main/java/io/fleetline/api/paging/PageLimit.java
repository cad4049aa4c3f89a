package io.fleetline.api.paging;

import io.fleetline.api.problem.ApiProblem;

/**
 * The {@code limit} of a keyset page, 1..1000, checked by hand on the hot read paths: method
 * validation through a proxy cost a sixth of a small answer's CPU. The problem is the one bean
 * validation of {@code @Min(1) @Max(1000)} gives.
 */
public final class PageLimit {

  public static final int MAX = 1000;

  private PageLimit() {}

  /** The limit, or a {@code 400} problem naming the {@code limit} field. */
  public static int check(int limit) {
    if (limit < 1) {
      throw ApiProblem.badRequest("limit", "limit must be greater than or equal to 1");
    }
    if (limit > MAX) {
      throw ApiProblem.badRequest("limit", "limit must be less than or equal to " + MAX);
    }
    return limit;
  }
}
