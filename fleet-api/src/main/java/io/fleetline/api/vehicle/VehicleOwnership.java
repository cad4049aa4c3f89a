package io.fleetline.api.vehicle;

import io.fleetline.api.problem.ApiProblem;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Tells whether a vehicle belongs to a fleet, for resources that hang off a vehicle. */
@Component
public class VehicleOwnership {

  private final JdbcClient jdbc;

  VehicleOwnership(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Throws 404 unless the vehicle exists in the fleet; another fleet's vehicle looks missing. */
  public void require(UUID fleetId, UUID vehicleId) {
    boolean owned =
        jdbc.sql("SELECT EXISTS (SELECT 1 FROM vehicles WHERE id = ? AND fleet_id = ?)")
            .params(vehicleId, fleetId)
            .query(Boolean.class)
            .single();
    if (!owned) {
      throw ApiProblem.notFound("Vehicle " + vehicleId);
    }
  }
}
