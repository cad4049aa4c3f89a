package io.fleetline.api.fleet;

import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface FleetRepository extends JpaRepository<Fleet, UUID> {}
