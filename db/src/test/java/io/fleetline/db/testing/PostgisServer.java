package io.fleetline.db.testing;

/** Where test databases come from: an admin connection to a PostgreSQL server with PostGIS. */
interface PostgisServer {

  /** JDBC URL of the given database on this server. */
  String jdbcUrl(String database);

  String username();

  String password();

  /** A short description for logs, e.g. "local cluster on port 41234". */
  String describe();
}
