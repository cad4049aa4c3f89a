package io.fleetline.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The console's sign-in attempts, counted in PostgreSQL ({@code sign_in_limits}) so that every
 * fleet-api instance sees the same counts. Each counted key is a bucket of {@code limit} attempts
 * per window that refills evenly: its row keeps the moment its counted attempts will have drained
 * away, one attempt moves that moment a step ({@code window / limit}) later, and the bucket is full
 * while the moment lies more than a window ahead. Times are the database's, the same for every
 * instance.
 *
 * <p>An attempt is taken from all its buckets in one transaction or from none: the rows are moved
 * with one {@code INSERT ... ON CONFLICT DO UPDATE ... RETURNING}, which holds their locks until
 * the transaction ends, and the transaction is rolled back when a bucket was full. Concurrent
 * attempts on any instance therefore count exactly, and a refused attempt counts nothing. When the
 * database cannot be reached the attempt is refused ({@link CountsUnavailable}), never let through
 * uncounted.
 *
 * <p>An account is counted under the hash of its email as the database lowers it, the same {@code
 * lower()} that finds the account at sign-in: emails that reach one account share its count,
 * whatever the database's locale makes of their letters.
 *
 * <p>Each instance remembers, for a bounded number of keys, until when the database refused them,
 * and refuses their attempts until then without asking it again: a flood of refused attempts costs
 * no write and holds no row lock. The rows stay the authority; a remembered refusal can only
 * refuse, never let an attempt through.
 */
@Component
class SignInAttempts {

  private static final Logger log = LoggerFactory.getLogger(SignInAttempts.class);

  /** Keys kept as they are: what a source address looks like, and short. */
  private static final Pattern PLAIN_KEY = Pattern.compile("[0-9A-Za-z.:/%\\[\\]-]{1,64}");

  private static final String HASHED = "sha256:";

  /** Drained rows deleted per statement, so that no statement holds many locks for long. */
  private static final int CLEANUP_CHUNK = 1000;

  /** The longest an attempt waits for the database before it is refused. */
  private static final int TIMEOUT_SECONDS = 5;

  /** Keys whose refusals one instance remembers at most; beyond, the oldest is forgotten. */
  static final int MAX_REMEMBERED_REFUSALS = 10_000;

  /** The longest email an account can have; longer ones are hashed here before counting. */
  private static final int MAX_EMAIL_LENGTH = 254;

  private static final long OUTAGE_LOG_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

  /** What a bucket counts. */
  enum Kind {
    // The email hashed as the database lowers it, as FleetUsers finds the account.
    FAILED_SIGN_IN_ACCOUNT(
        "failed_sign_in_account",
        "'" + HASHED + "' || encode(sha256(convert_to(lower(?), 'UTF8')), 'hex')"),
    FAILED_SIGN_IN_ADDRESS("failed_sign_in_address", "?"),
    NEW_SIGN_IN_SESSION_ADDRESS("new_sign_in_session_address", "?");

    private final String column;

    /** The SQL of the row's key from the bucket's key. */
    private final String keySql;

    Kind(String column, String keySql) {
      this.column = column;
      this.keySql = keySql;
    }
  }

  /**
   * One bucket: what it counts, its key (an account's email, or an address's key), and how much
   * later one attempt moves its row.
   */
  record Bucket(Kind kind, String key, Duration step) {}

  private record Counted(Kind kind, String key) {}

  /** The counts could not be read or written: the attempt is refused. */
  static final class CountsUnavailable extends RuntimeException {
    CountsUnavailable(RuntimeException cause) {
      super("the sign-in limits cannot be counted: " + cause.getMessage(), cause);
    }
  }

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final SignInLimitsCleanup cleanup;
  private final AtomicLong lastOutageLogged = new AtomicLong(System.nanoTime() - (1L << 62));

  /** Until when (System.nanoTime) the database refused each key, the oldest refusal first. */
  private final Map<Counted, Long> refusedUntil =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Counted, Long> eldest) {
          return size() > MAX_REMEMBERED_REFUSALS;
        }
      };

  SignInAttempts(
      JdbcClient jdbc, PlatformTransactionManager transactions, SignInLimitsCleanup cleanup) {
    this.jdbc = jdbc;
    this.transactions = new TransactionTemplate(transactions);
    this.transactions.setTimeout(TIMEOUT_SECONDS);
    this.cleanup = cleanup;
  }

  /**
   * Takes one attempt from every bucket, or from none when one of them is full or was refused
   * lately (see {@link #forgetRefusals}).
   *
   * @param window the time in which each of the buckets refills completely
   * @param buckets buckets of different kinds, accounts before addresses
   * @return zero when taken, otherwise how long until every bucket has room for one attempt
   * @throws CountsUnavailable when the database cannot be reached
   */
  Duration take(Duration window, List<Bucket> buckets) {
    Duration remembered = rememberedRefusal(buckets);
    if (!remembered.isZero()) {
      return remembered;
    }
    StringBuilder sql =
        new StringBuilder("INSERT INTO sign_in_limits AS l (kind, key, clear_at) VALUES ");
    List<Object> params = new ArrayList<>(buckets.size() * 3);
    for (int i = 0; i < buckets.size(); i++) {
      Bucket bucket = buckets.get(i);
      sql.append(i == 0 ? "" : ", ")
          .append("(?, ")
          .append(bucket.kind().keySql)
          .append(", now() + ? * interval '1 microsecond')");
      params.add(bucket.kind().column);
      params.add(bucket.key());
      params.add(micros(bucket.step()));
    }
    // excluded.clear_at - now() is the bucket's step; a drained row starts again from now.
    sql.append(
        " ON CONFLICT (kind, key) DO UPDATE"
            + " SET clear_at = greatest(l.clear_at, now()) + (excluded.clear_at - now())"
            + " RETURNING l.kind, (extract(epoch FROM l.clear_at - now()) * 1000000)::bigint");
    long windowMicros = micros(window);
    Map<String, Long> beyondMicrosByKind;
    try {
      beyondMicrosByKind =
          transactions.execute(
              status -> {
                Map<String, Long> beyond = new HashMap<>();
                jdbc.sql(sql.toString())
                    .params(params)
                    .query(
                        rs -> {
                          beyond.put(rs.getString(1), rs.getLong(2) - windowMicros);
                        });
                if (beyond.values().stream().anyMatch(micros -> micros > 0)) {
                  status.setRollbackOnly();
                }
                return beyond;
              });
    } catch (DataAccessException | TransactionException e) {
      throw unavailable(e);
    }
    long now = System.nanoTime();
    long longestMicros = 0;
    for (Bucket bucket : buckets) {
      long beyondMicros = beyondMicrosByKind.getOrDefault(bucket.kind().column, 0L);
      if (beyondMicros > 0) {
        remember(new Counted(bucket.kind(), bucket.key()), now + beyondMicros * 1000);
        longestMicros = Math.max(longestMicros, beyondMicros);
      }
    }
    return Duration.of(longestMicros, ChronoUnit.MICROS);
  }

  /** How long until the longest refusal remembered for the buckets ends; zero when none. */
  private Duration rememberedRefusal(List<Bucket> buckets) {
    long now = System.nanoTime();
    long longestNanos = 0;
    synchronized (refusedUntil) {
      for (Bucket bucket : buckets) {
        Counted counted = new Counted(bucket.kind(), bucket.key());
        Long until = refusedUntil.get(counted);
        if (until != null) {
          if (until - now > 0) {
            longestNanos = Math.max(longestNanos, until - now);
          } else {
            refusedUntil.remove(counted);
          }
        }
      }
    }
    return Duration.ofNanos(longestNanos);
  }

  private void remember(Counted counted, long untilNanos) {
    synchronized (refusedUntil) {
      // Re-inserted, so that it counts as the newest when the oldest are forgotten.
      refusedUntil.remove(counted);
      refusedUntil.put(counted, untilNanos);
    }
  }

  /** Forgets every refusal this instance remembers, as a restart would. */
  void forgetRefusals() {
    synchronized (refusedUntil) {
      refusedUntil.clear();
    }
  }

  /**
   * Gives back an attempt {@link #take} took, one bucket at a time (each locks one row only), each
   * waiting for the database no longer than an attempt does.
   */
  void giveBack(List<Bucket> buckets) {
    for (Bucket bucket : buckets) {
      transactions.executeWithoutResult(
          status ->
              jdbc.sql(
                      "UPDATE sign_in_limits SET clear_at = clear_at - ? * interval '1 microsecond'"
                          + " WHERE kind = ? AND key = "
                          + bucket.kind().keySql)
                  .params(micros(bucket.step()), bucket.kind().column, bucket.key())
                  .update());
    }
  }

  @Scheduled(
      initialDelayString = "${fleetline.console.sign-in-limits.cleanup-interval:1m}",
      fixedDelayString = "${fleetline.console.sign-in-limits.cleanup-interval:1m}")
  void scheduledCleanup() {
    try {
      forgetDrained();
    } catch (RuntimeException e) {
      log.warn("Deleting drained sign-in limit counts failed: {}", e.toString());
    }
  }

  /**
   * Deletes rows whose attempts have all drained away, at most {@code cleanup-max-rows} per run;
   * instances doing it at once skip each other's rows; each statement waits for the database no
   * longer than an attempt does. Returns how many it deleted.
   */
  int forgetDrained() {
    int total = 0;
    int deleted;
    do {
      int chunk = Math.min(CLEANUP_CHUNK, cleanup.cleanupMaxRows() - total);
      deleted = transactions.execute(status -> deleteDrained(chunk));
      total += deleted;
    } while (deleted == CLEANUP_CHUNK && total < cleanup.cleanupMaxRows());
    return total;
  }

  private int deleteDrained(int chunk) {
    return jdbc.sql(
            """
                  DELETE FROM sign_in_limits l USING (
                    SELECT kind, key FROM sign_in_limits WHERE clear_at < now()
                    ORDER BY clear_at LIMIT :chunk FOR UPDATE SKIP LOCKED) drained
                  WHERE l.kind = drained.kind AND l.key = drained.key AND l.clear_at < now()""")
        .param("chunk", chunk)
        .update();
  }

  /**
   * What an account is counted by: its email as given, which the database lowers and hashes (see
   * {@link Kind#FAILED_SIGN_IN_ACCOUNT}), so no email is stored. An email no account can have (too
   * long, or holding what PostgreSQL's text cannot) is hashed here first.
   */
  static String accountKey(String email) {
    return email.length() <= MAX_EMAIL_LENGTH && email.indexOf('\0') < 0
        ? email
        : HASHED + sha256(email);
  }

  /** The row key an account's attempts are counted under, as the database computes it. */
  String accountRowKey(String email) {
    return jdbc.sql("SELECT " + Kind.FAILED_SIGN_IN_ACCOUNT.keySql)
        .param(accountKey(email))
        .query(String.class)
        .single();
  }

  /** The key a source address is counted under: as it is when short and plain, else hashed. */
  static String addressKey(String address) {
    return PLAIN_KEY.matcher(address).matches() && !address.startsWith(HASHED)
        ? address
        : HASHED + sha256(address);
  }

  /** The seconds a refused attempt is told to wait: whole seconds, at least one. */
  static long retryAfterSeconds(Duration wait) {
    return Math.max(1, (wait.toNanos() + 999_999_999L) / 1_000_000_000L);
  }

  private CountsUnavailable unavailable(RuntimeException e) {
    long now = System.nanoTime();
    long last = lastOutageLogged.get();
    // Told once a minute, not for every refused sign-in while the database is away.
    if (now - last >= OUTAGE_LOG_INTERVAL_NANOS && lastOutageLogged.compareAndSet(last, now)) {
      log.warn(
          "Refusing console sign-ins: the sign-in limits cannot be counted in the database ({})",
          e.toString());
    }
    return new CountsUnavailable(e);
  }

  private static long micros(Duration duration) {
    return duration.toNanos() / 1000;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
