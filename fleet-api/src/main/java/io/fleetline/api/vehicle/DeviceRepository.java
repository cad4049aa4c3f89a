package io.fleetline.api.vehicle;

import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface DeviceRepository extends JpaRepository<Device, UUID> {

  @Query("select d.identifier from Device d where d.protocol = :protocol and d.identifier in :ids")
  List<String> takenIdentifiers(String protocol, List<String> ids);

  @Query("select d from Device d join fetch d.vehicle")
  Stream<Device> streamAll();
}
