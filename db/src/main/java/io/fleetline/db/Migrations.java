package io.fleetline.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Applies the schema's Flyway migrations, for tools and tests that run outside Spring Boot. */
public final class Migrations {

  /** Where the migration scripts live on the classpath. */
  public static final String LOCATION = "classpath:db/migration";

  private Migrations() {}

  /** Migrates the database behind the data source to the newest schema version. */
  public static void migrate(DataSource dataSource) {
    Flyway.configure().dataSource(dataSource).locations(LOCATION).load().migrate();
  }
}
