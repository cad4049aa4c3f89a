package io.fleetline.api.fleet;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A tenant: every vehicle, device and API client belongs to exactly one fleet. */
@Entity
@Table(name = "fleets")
class Fleet {

  @Id
  @GeneratedValue(strategy = GenerationType.UUID)
  private UUID id;

  private String name;

  /** The IANA zone whose calendar days the fleet's daily summaries follow. */
  private String timeZone;

  private Instant createdAt;

  protected Fleet() {}

  Fleet(String name) {
    this.name = name;
    this.timeZone = "UTC";
    this.createdAt = Instant.now();
  }

  UUID getId() {
    return id;
  }

  String getName() {
    return name;
  }

  String getTimeZone() {
    return timeZone;
  }

  void setTimeZone(String timeZone) {
    this.timeZone = timeZone;
  }
}
