package io.fleetline.routing.position;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** Which database failures isolate a ping and which retry the whole batch. */
class RefusalTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "22P05", // untranslatable character: \u0000 in jsonb
        "22021", // character not in repertoire: NUL in text
        "22P02", // invalid text representation: a lone surrogate in jsonb
        "22003", // numeric value out of range
        "22008", // datetime field overflow
        "22000", // data exception
        "23502", // not-null violation
        "23514" // check violation
      })
  void contentErrorsOfTheHistoryWriteIsolateThePing(String sqlState) {
    Refusal refusal = Refusal.of(history(new SQLException("refused", sqlState)));

    assertThat(refusal).isNotNull();
    assertThat(refusal.sqlState()).isEqualTo(sqlState);
    assertThat(refusal.message()).isEqualTo("refused");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "08006", // connection failure
        "08001", // cannot connect
        "40001", // serialization failure
        "40P01", // deadlock
        "53300", // too many connections
        "53100", // disk full
        "57P01", // admin shutdown
        "57014", // query cancelled
        "55P03", // lock not available
        "23505", // unique violation: redelivered pings or another writer
        "23503", // foreign key violation: what it points at may come
        "23P01", // exclusion violation
        "XX000", // internal error
        "54000", // program limit exceeded
        "2", // malformed
      })
  void failuresThatPassRetryTheWholeBatch(String sqlState) {
    assertThat(Refusal.of(history(new SQLException("failed", sqlState)))).isNull();
    assertThat(Refusal.of(new SQLException("failed", sqlState))).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"22003", "22012", "22P02", "23502", "23514"})
  void contentErrorsRaisedWhileDerivingRetryTheWholeBatch(String sqlState) {
    // Trips, stops, events or the latest positions failing: a fault of that code or its state.
    assertThat(Refusal.of(new SQLException("failed", sqlState))).isNull();
    assertThat(
            Refusal.of(
                new SQLException(
                    "batch write failed",
                    new IllegalStateException(new SQLException("failed", sqlState)))))
        .isNull();
  }

  @Test
  void noPartitionForARowRetriesTheWholeBatchButACheckOfAConstraintIsolatesThePing() {
    PSQLException noPartition =
        new PSQLException(
            new ServerErrorMessage(
                "SERROR\0C23514\0Mno partition of relation \"positions\" found for row\0"
                    + "DPartition key of the failing row contains (recorded_at).\0"
                    + "tpositions\0"));
    PSQLException check =
        new PSQLException(
            new ServerErrorMessage(
                "SERROR\0C23514\0Mnew row violates check constraint \"c\"\0" + "tpositions\0nc\0"));

    assertThat(Refusal.isMissingPartition(history(noPartition))).isTrue();
    assertThat(Refusal.of(history(noPartition))).isNull();
    assertThat(Refusal.isMissingPartition(history(check))).isFalse();
    assertThat(Refusal.of(history(check))).isNotNull();
  }

  @Test
  void failuresWithoutSqlStateRetryTheWholeBatch() {
    assertThat(Refusal.of(new SQLException("batch write failed"))).isNull();
    assertThat(Refusal.of(new IllegalStateException("crash before commit"))).isNull();
    assertThat(
            Refusal.of(
                new SQLException("batch write failed", new IllegalStateException("no sample"))))
        .isNull();
  }

  @Test
  void aRefusalWrappedByTheWriterIsFoundInTheCauses() {
    SQLException wrapped =
        new SQLException(
            "batch write failed",
            new RuntimeException(history(new SQLException("out of range", "22003"))));

    assertThat(Refusal.of(wrapped)).isEqualTo(new Refusal("22003", "out of range"));
  }

  @Test
  void onlyTheServersPrimaryMessageIsKeptNeverTheDetailOrWhereQuotingTheValue() {
    PSQLException server =
        new PSQLException(
            new ServerErrorMessage(
                "SERROR\0C22P05\0Munsupported Unicode escape sequence\0"
                    + "D\\u0000 cannot be converted to text.\0"
                    + "WJSON data, line 1: {\"secret\":\"payload\\u0000\0"));

    Refusal refusal = Refusal.of(history(server));

    assertThat(refusal).isEqualTo(new Refusal("22P05", "unsupported Unicode escape sequence"));
  }

  /** The failure as the writer reports it from the history write. */
  private static HistoryWriteFailure history(SQLException failure) {
    return new HistoryWriteFailure(failure);
  }

  @Test
  void theMessageIsOneBoundedLineWithoutControlCharactersOrLoneSurrogates() {
    String hostile = "bad\r\nFAKE LOG LINE\u0000\ud800 ok \ud83d\ude97 " + "x".repeat(1000);

    String bounded = Refusal.bounded(hostile);

    assertThat(bounded).hasSize(Refusal.MAX_MESSAGE_CHARS);
    assertThat(bounded).startsWith("bad??FAKE LOG LINE?? ok \ud83d\ude97 xxx");
    assertThat(bounded).doesNotContain("\n", "\r", "\u0000");
    assertThat(Refusal.bounded(null)).isEmpty();
  }
}
