package io.fleetline.db.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.springframework.test.context.DynamicPropertyRegistry;

/** A migrated PostGIS database that belongs to one test class (or one test run of a process). */
public record TestDatabase(String jdbcUrl, String username, String password) {

  /** Opens a plain JDBC connection; the caller closes it. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl, username, password);
  }

  /** Points a Spring Boot test's data source (and Flyway) at this database. */
  public void registerIn(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", this::jdbcUrl);
    registry.add("spring.datasource.username", this::username);
    registry.add("spring.datasource.password", this::password);
  }
}
