package io.fleetline.routing.position;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps daily {@code positions} partitions ready ahead of time and drops those past retention. Any
 * number of instances may run it: a session advisory lock lets one at a time do the work, the
 * others skip the round.
 */
@Component
class PartitionMaintenance {

  private static final Logger log = LoggerFactory.getLogger(PartitionMaintenance.class);
  private static final String LOCK =
      "SELECT pg_try_advisory_lock(hashtext('fleetline.positions.maintenance'))";
  private static final String UNLOCK =
      "SELECT pg_advisory_unlock(hashtext('fleetline.positions.maintenance'))";
  private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd");

  private final DataSource dataSource;
  private final PartitionManager partitions;
  private final PartitionSettings settings;
  private final Clock clock;

  @Autowired
  PartitionMaintenance(
      DataSource dataSource, PartitionManager partitions, PartitionSettings settings) {
    this(dataSource, partitions, settings, Clock.systemUTC());
  }

  PartitionMaintenance(
      DataSource dataSource, PartitionManager partitions, PartitionSettings settings, Clock clock) {
    this.dataSource = dataSource;
    this.partitions = partitions;
    this.settings = settings;
    this.clock = clock;
  }

  @Scheduled(
      fixedDelayString = "${fleetline.routing.partitions.interval:1h}",
      initialDelayString = "0s")
  void scheduled() {
    try {
      run();
    } catch (SQLException e) {
      log.warn("Partition maintenance failed, next round retries: {}", e.getMessage());
    }
  }

  /** One round; returns false when another instance holds the lock and this one skipped. */
  boolean run() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      if (!lock(c)) {
        return false;
      }
      try {
        LocalDate today = LocalDate.now(clock);
        List<LocalDate> ahead = new ArrayList<>();
        for (int d = 0; d <= settings.aheadDays(); d++) {
          ahead.add(today.plusDays(d));
        }
        partitions.ensure(c, ahead);
        dropExpired(c, oldestRetained());
        return true;
      } finally {
        try (Statement s = c.createStatement()) {
          s.execute(UNLOCK);
        }
      }
    }
  }

  /** The first UTC day whose history is kept. */
  LocalDate oldestRetained() {
    return LocalDate.ofInstant(clock.instant().minus(settings.retention()), ZoneOffset.UTC);
  }

  private void dropExpired(Connection c, LocalDate oldestKept) throws SQLException {
    List<String> expired = new ArrayList<>();
    try (PreparedStatement s =
            c.prepareStatement(
                "SELECT child.relname FROM pg_inherits i"
                    + " JOIN pg_class child ON child.oid = i.inhrelid"
                    + " WHERE i.inhparent = 'positions'::regclass"
                    + " AND child.relname ~ '^positions_[0-9]{8}$' ORDER BY 1");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        String name = rs.getString(1);
        LocalDate day = LocalDate.parse(name.substring("positions_".length()), SUFFIX);
        if (day.isBefore(oldestKept)) {
          expired.add(name);
        }
      }
    }
    for (String name : expired) {
      try (Statement s = c.createStatement()) {
        // Detaching concurrently does not block the batch writers; the drop then is instant.
        s.execute("ALTER TABLE positions DETACH PARTITION " + name + " CONCURRENTLY");
        s.execute("DROP TABLE " + name);
      }
      partitions.forget(LocalDate.parse(name.substring("positions_".length()), SUFFIX));
      log.info("Dropped history partition {} (retention {})", name, settings.retention());
    }
  }

  private static boolean lock(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(LOCK)) {
      rs.next();
      return rs.getBoolean(1);
    }
  }
}
