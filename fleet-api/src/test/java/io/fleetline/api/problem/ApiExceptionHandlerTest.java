package io.fleetline.api.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** How refusals of the database and unforeseen errors are told to clients. */
class ApiExceptionHandlerTest {

  final ApiExceptionHandler handler = new ApiExceptionHandler();

  @Test
  void aUniqueViolationIsAConflict() {
    ResponseEntity<ProblemDetail> answer =
        handler.dataIntegrityViolation(
            refused("duplicate key value violates unique constraint \"x_key\"", "23505"));
    assertThat(answer.getStatusCode().value()).isEqualTo(409);
  }

  @Test
  void aRecordDeletedByAConcurrentRequestIsAConflict() {
    ResponseEntity<ProblemDetail> answer =
        handler.dataIntegrityViolation(
            refused(
                "insert or update on table \"vehicles\" violates foreign key constraint", "23503"));
    assertThat(answer.getStatusCode().value()).isEqualTo(409);
    assertThat(answer.getBody().getDetail()).doesNotContain("vehicles");
  }

  @Test
  void anyOtherRefusalOfTheDatabaseIs400WithoutItsSql() {
    for (String state : new String[] {"23514", "22021", "22023", "22008", "XX000"}) {
      ResponseEntity<ProblemDetail> answer =
          handler.dataIntegrityViolation(
              refused("ERROR: new row for relation \"geofences\" violates check", state));
      assertThat(answer.getStatusCode().value()).as(state).isEqualTo(400);
      assertThat(answer.getBody().getDetail()).doesNotContain("geofences", "ERROR", "relation");
    }
  }

  @Test
  void anUnforeseenErrorIs500WithoutItsInternals() throws Exception {
    ResponseEntity<ProblemDetail> answer =
        handler.unexpected(new IllegalStateException("connection to 10.0.0.5 refused"));
    assertThat(answer.getStatusCode().value()).isEqualTo(500);
    assertThat(answer.getBody().getDetail()).doesNotContain("10.0.0.5");
    assertThat(answer.getBody().getType().toString()).endsWith("/internal-error");
  }

  private static DataIntegrityViolationException refused(String message, String sqlState) {
    return new DataIntegrityViolationException(
        "could not execute statement [" + message + "]", new SQLException(message, sqlState));
  }
}
