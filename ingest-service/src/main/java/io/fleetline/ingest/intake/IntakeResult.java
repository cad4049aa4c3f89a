package io.fleetline.ingest.intake;

import io.fleetline.ingest.validation.Rejection;
import java.util.List;

/** What became of a device's upload once it is durable: how many were accepted, which were not. */
public record IntakeResult(int accepted, List<ItemRejection> rejected) {

  /** A rejected item, by its position in the upload. */
  public record ItemRejection(int index, String reason, String detail) {

    static ItemRejection of(int index, Rejection rejection) {
      return new ItemRejection(index, rejection.reason(), rejection.detail());
    }
  }
}
