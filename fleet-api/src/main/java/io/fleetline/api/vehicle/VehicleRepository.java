package io.fleetline.api.vehicle;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.EntityGraph;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface VehicleRepository extends JpaRepository<Vehicle, UUID> {

  @EntityGraph(attributePaths = "devices")
  Optional<Vehicle> findByIdAndFleetId(UUID id, UUID fleetId);

  boolean existsByIdAndFleetId(UUID id, UUID fleetId);

  /** One keyset page of a fleet's vehicles, ordered by id. */
  @Query(
      "select v from Vehicle v where v.fleetId = :fleetId and (:after is null or v.id > :after)"
          + " order by v.id")
  List<Vehicle> page(UUID fleetId, UUID after, Limit limit);
}
