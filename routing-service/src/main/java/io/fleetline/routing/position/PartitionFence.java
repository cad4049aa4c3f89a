package io.fleetline.routing.position;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Fences routing consumers that lost a ping partition but are still writing. A consumer given a
 * partition claims it: its epoch in {@code routing_partition_owners} is raised and remembered.
 * Every batch checks, just before its commit and holding the rows' locks until then, that the
 * epochs it remembers for its partitions are still the current ones; a consumer whose partition was
 * claimed since is refused ({@link PartitionFenced}) and its batch rolls back. One row per
 * partition a batch touches, one statement per batch; a claim is a statement per partition
 * assigned, at rebalances.
 */
@Component
public class PartitionFence {

  private static final String CLAIM =
      """
      INSERT INTO routing_partition_owners AS o (owner, partition, epoch) VALUES (?, ?, 1)
      ON CONFLICT (partition) DO UPDATE
          SET epoch = o.epoch + 1, owner = EXCLUDED.owner, claimed_at = now()
      RETURNING epoch""";

  /** Locks the rows in a fixed order, so batches over overlapping partitions cannot deadlock. */
  private static final String CURRENT =
      """
      SELECT partition, epoch FROM routing_partition_owners
      WHERE partition = ANY (?::text[]) ORDER BY partition FOR SHARE""";

  private static final Logger log = LoggerFactory.getLogger(PartitionFence.class);

  private final DataSource dataSource;

  /** The partitions assigned to this instance's consumers, each with its consumer's name. */
  private final Map<String, String> assigned = new ConcurrentHashMap<>();

  /** The epoch this instance claimed each of its partitions in, once claimed. */
  private final Map<String, Long> claimed = new ConcurrentHashMap<>();

  public PartitionFence(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * The partitions were assigned to the consumer {@code owner}: claims them, each in a new epoch,
   * so that a batch of their previous owner can no longer commit. Should the database be away, they
   * are claimed before their next batch ({@link #claimUnclaimed}).
   */
  void assigned(Collection<String> partitions, String owner) {
    partitions.forEach(p -> assigned.put(p, owner));
    claim(partitions);
  }

  /**
   * Claims those of the batch's partitions that are assigned here but not claimed (a claim that
   * failed, or a batch fenced by a consumer that claimed them while they were assigned here).
   */
  void claimUnclaimed(Collection<String> partitions) {
    claim(
        partitions.stream()
            .filter(p -> assigned.containsKey(p) && !claimed.containsKey(p))
            .distinct()
            .toList());
  }

  /** The partitions have gone to another consumer, or may have: this instance's epochs are void. */
  void released(Collection<String> partitions) {
    partitions.forEach(
        p -> {
          assigned.remove(p);
          claimed.remove(p);
        });
  }

  /** A batch of these partitions was fenced: the epochs this instance remembered are void. */
  void fenced(Collection<String> partitions) {
    partitions.forEach(claimed::remove);
  }

  private void claim(Collection<String> partitions) {
    if (partitions.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(CLAIM)) {
      for (String partition : new TreeSet<>(partitions)) {
        s.setString(1, assigned.getOrDefault(partition, "unknown"));
        s.setString(2, partition);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          claimed.put(partition, rs.getLong(1));
        }
      }
    } catch (SQLException e) {
      log.warn(
          "Claiming the ping partitions {} failed, claimed again before their next batch: {}",
          partitions,
          e.toString());
    }
  }

  /**
   * Checks, in the batch's transaction, that this consumer still owns every one of the partitions,
   * and keeps them from being claimed until the transaction ends.
   *
   * @throws PartitionFenced when another consumer claimed one since, or it was never claimed
   */
  void check(Connection c, Collection<String> partitions) throws SQLException {
    if (partitions.isEmpty()) {
      return;
    }
    Map<String, Long> current = new HashMap<>();
    try (PreparedStatement s = c.prepareStatement(CURRENT)) {
      s.setArray(1, c.createArrayOf("text", new TreeSet<>(partitions).toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          current.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    List<String> lost =
        new TreeSet<>(partitions)
            .stream()
                .filter(p -> !current.containsKey(p) || !current.get(p).equals(claimed.get(p)))
                .toList();
    if (!lost.isEmpty()) {
      throw new PartitionFenced(lost);
    }
  }

  /** A batch refused because this consumer no longer owns some of its partitions. */
  public static final class PartitionFenced extends SQLException {

    private final List<String> partitions;

    PartitionFenced(List<String> partitions) {
      super("another consumer owns the ping partitions " + partitions + " now");
      this.partitions = partitions;
    }

    public List<String> partitions() {
      return partitions;
    }
  }
}
