// Operations on a PostgreSQL store that kindband-admin runs (database.h): the move of a store to
// PostgreSQL (export_to_postgres) and the application role that may not change the audit log
// (set_up_application_role). The SQL here reads PostgreSQL's catalog, so it lives with the engine.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <set>

#include "database.h"
#include "postgres_connection.h"
#include "postgres_database.h"

namespace kindband::server {
namespace {

std::string quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Every row of sql (without parameters) as text, "" for NULL; false with error.
bool query_rows(PostgresConnection& connection, const std::string& sql,
                std::vector<std::vector<std::string>>* rows, std::string* error) {
  PGresult* result = PQexec(connection.handle(), sql.c_str());
  const bool ok = PQresultStatus(result) == PGRES_TUPLES_OK;
  if (ok) {
    for (int row = 0; row < PQntuples(result); ++row) {
      std::vector<std::string> values;
      for (int column = 0; column < PQnfields(result); ++column) {
        values.emplace_back(PQgetvalue(result, row, column));
      }
      rows->push_back(std::move(values));
    }
  } else {
    *error = PQresultErrorMessage(result);
    while (!error->empty() && error->back() == '\n') error->pop_back();
  }
  PQclear(result);
  return ok;
}

// The tables of the current schema.
bool table_names(PostgresConnection& connection, std::vector<std::string>* tables,
                 std::string* error) {
  std::vector<std::vector<std::string>> rows;
  if (!query_rows(connection,
                  "SELECT relname FROM pg_class WHERE relkind IN ('r', 'p') AND relnamespace = "
                  "to_regnamespace(current_schema())::oid ORDER BY relname",
                  &rows, error)) {
    return false;
  }
  for (const auto& row : rows) tables->push_back(row[0]);
  return true;
}

// "" when no table of the target holds a row (but the schema version); else the first that does.
bool first_table_with_rows(PostgresConnection& connection, std::string* table, std::string* error) {
  std::vector<std::string> tables;
  if (!table_names(connection, &tables, error)) return false;
  for (const std::string& name : tables) {
    std::vector<std::vector<std::string>> rows;
    const std::string where = name == "meta" ? " WHERE key <> 'schema_version'" : "";
    if (!query_rows(connection, "SELECT EXISTS(SELECT 1 FROM " + quoted(name) + where + ")", &rows,
                    error)) {
      return false;
    }
    if (!rows.empty() && rows[0][0] == "t") {
      *table = name;
      return true;
    }
  }
  table->clear();
  return true;
}

struct TableShape {
  std::vector<std::string> columns;
  std::vector<std::string> identity_columns;
  std::set<std::string> references;  // tables this one's foreign keys point at
};

bool read_shapes(PostgresConnection& connection, std::map<std::string, TableShape>* shapes,
                 std::string* error) {
  std::vector<std::vector<std::string>> rows;
  if (!query_rows(connection,
                  "SELECT k.relname, a.attname, a.attidentity <> '' FROM pg_attribute a JOIN "
                  "pg_class k ON k.oid = a.attrelid WHERE k.relkind IN ('r', 'p') AND "
                  "k.relnamespace = to_regnamespace(current_schema())::oid AND a.attnum > 0 AND "
                  "NOT a.attisdropped ORDER BY k.relname, a.attnum",
                  &rows, error)) {
    return false;
  }
  for (const auto& row : rows) {
    TableShape& shape = (*shapes)[row[0]];
    shape.columns.push_back(row[1]);
    if (row[2] == "t") shape.identity_columns.push_back(row[1]);
  }
  rows.clear();
  if (!query_rows(connection,
                  "SELECT k.relname, r.relname FROM pg_constraint c JOIN pg_class k ON k.oid = "
                  "c.conrelid JOIN pg_class r ON r.oid = c.confrelid WHERE c.contype = 'f' AND "
                  "k.relnamespace = to_regnamespace(current_schema())::oid",
                  &rows, error)) {
    return false;
  }
  for (const auto& row : rows) {
    if (row[0] != row[1]) (*shapes)[row[0]].references.insert(row[1]);
  }
  return true;
}

// The tables in an order where each comes after those its foreign keys point at.
std::vector<std::string> referenced_first(const std::map<std::string, TableShape>& shapes) {
  std::vector<std::string> order;
  std::set<std::string> placed;
  while (order.size() < shapes.size()) {
    bool progress = false;
    for (const auto& [name, shape] : shapes) {
      if (placed.count(name)) continue;
      bool ready = true;
      for (const std::string& target : shape.references) {
        ready = ready && (placed.count(target) || !shapes.count(target));
      }
      if (!ready) continue;
      order.push_back(name);
      placed.insert(name);
      progress = true;
    }
    if (!progress) {
      // A cycle of references (none in the schema today): the rest in name order; PostgreSQL
      // then says which row has no parent yet.
      for (const auto& [name, shape] : shapes) {
        if (placed.insert(name).second) order.push_back(name);
      }
    }
  }
  return order;
}

// Copies one table; false with "<table>, row N: what".
bool copy_table(Tx* from, PostgresTx* to, const std::string& table, const TableShape& shape,
                int64_t* rows, std::string* error) {
  std::string columns;
  std::string parameters;
  for (size_t i = 0; i < shape.columns.size(); ++i) {
    columns += (i ? ", " : "") + quoted(shape.columns[i]);
    parameters += (i ? ", ?" : "?") + std::to_string(i + 1);
  }
  // The target's schema version is its own (written when its schema was made).
  const std::string where = table == "meta" ? " WHERE key <> 'schema_version'" : "";
  Statement select(from, "SELECT " + columns + " FROM " + quoted(table) + where);
  if (!select.ok()) {
    *error = table + ": cannot be read from the source: " + from->last_error();
    return false;
  }
  const std::string insert_sql =
      "INSERT INTO " + quoted(table) + "(" + columns + ") VALUES(" + parameters + ")";
  *rows = 0;
  while (select.step()) {
    Statement insert(to, insert_sql);
    for (size_t i = 0; i < shape.columns.size(); ++i) {
      const int column = static_cast<int>(i);
      if (select.is_null(column)) {
        insert.bind_null(column + 1);
      } else {
        insert.bind(column + 1, select.text(column));
      }
    }
    if (!insert.run()) {
      *error = table + ", row " + std::to_string(*rows + 1) + ": " + to->last_error();
      return false;
    }
    ++*rows;
  }
  if (select.failed()) {
    *error = table + ", row " + std::to_string(*rows + 1) +
             ": cannot be read from the source: " + from->last_error();
    return false;
  }
  return true;
}

bool export_in_transaction(Database* source, PostgresConnection& connection,
                           const ExportCheck& check, std::vector<TableCopied>* copied,
                           std::string* error) {
  std::string what;
  // Refused before anything is made: a target with rows is somebody's data.
  std::string full_table;
  if (!connection.exec(postgres_writer_lock(), &what) ||
      !first_table_with_rows(connection, &full_table, &what)) {
    *error = "target: " + what;
    return false;
  }
  if (!full_table.empty()) {
    *error = "target: not empty (table " + full_table +
             " has rows); export-to-postgres only fills a new, empty database";
    return false;
  }
  std::map<std::string, TableShape> shapes;
  if (!postgres_create_or_complete_schema(connection, &what) ||
      !read_shapes(connection, &shapes, &what)) {
    *error = "target: " + what;
    return false;
  }
  Database::Snapshot snapshot = source->read();
  if (!snapshot.tx()) {
    *error = "source: cannot be read";
    return false;
  }
  PostgresTx target(&connection);
  for (const std::string& table : referenced_first(shapes)) {
    const TableShape& shape = shapes.at(table);
    TableCopied done{table, 0};
    if (!copy_table(snapshot.tx(), &target, table, shape, &done.rows, error)) return false;
    for (const std::string& column : shape.identity_columns) {
      // The next id is one past the highest copied, as SQLite's row ids would continue.
      const std::string sql = "SELECT setval(pg_get_serial_sequence('" + quoted(table) + "', '" +
                              column + "'), COALESCE(MAX(" + quoted(column) + "), 0) + 1, false) " +
                              "FROM " + quoted(table);
      if (!connection.exec(sql, &what)) {
        *error = table + "." + column + ": cannot set the next id: " + what;
        return false;
      }
    }
    copied->push_back(done);
  }
  return !check || check(&target, error);
}

bool valid_role_name(const std::string& role) {
  if (role.empty() || role.size() > 63 ||
      !(std::islower(static_cast<unsigned char>(role[0])) || role[0] == '_')) {
    return false;
  }
  return std::all_of(role.begin(), role.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) ||
           std::isdigit(static_cast<unsigned char>(c)) || c == '_';
  });
}

}  // namespace

bool export_to_postgres_database(Database* source, const std::string& target,
                                 const ExportCheck& check, std::vector<TableCopied>* copied,
                                 std::string* error) {
  PostgresConnection connection;
  std::string what;
  if (!connection.open(target, &what)) {
    *error = "target: " + what;
    return false;
  }
  if (!connection.exec("BEGIN", &what)) {
    *error = "target: " + what;
    return false;
  }
  copied->clear();
  if (!export_in_transaction(source, connection, check, copied, error)) {
    connection.exec("ROLLBACK");
    copied->clear();
    return false;
  }
  if (!connection.exec_expecting("COMMIT", "COMMIT", &what)) {
    connection.exec("ROLLBACK");
    copied->clear();
    *error = "target: the commit failed, nothing was stored: " + what;
    return false;
  }
  return true;
}

bool set_up_application_role_on(const std::string& location, const std::string& role,
                                std::string* error) {
  if (!valid_role_name(role)) {
    *error = role + ": a role name of lower-case letters, digits and _ (at most 63)";
    return false;
  }
  PostgresConnection connection;
  std::string what;
  if (!connection.open(location, &what)) {
    *error = what;
    return false;
  }
  std::vector<std::vector<std::string>> rows;
  if (!query_rows(connection,
                  "SELECT current_user, current_database(), current_schema(), "
                  "pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = "
                  "'audit_log'::regclass), 'USAGE'), COALESCE((SELECT rolsuper FROM pg_roles "
                  "WHERE rolname = '" +
                      role + "'), false), EXISTS(SELECT 1 FROM pg_class WHERE relowner = " +
                      "(SELECT oid FROM pg_roles WHERE rolname = '" + role + "'))",
                  &rows, &what) ||
      rows.size() != 1) {
    *error = "cannot read the roles: " + what;
    return false;
  }
  const auto& facts = rows[0];
  if (facts[3] != "t") {
    *error = "run migrate --application-role as the role that owns the tables (connected as " +
             facts[0] + ")";
    return false;
  }
  if (facts[0] == role || facts[4] == "t" || facts[5] == "t") {
    *error = role +
             ": the application role must be another role than the owner, own no table and not "
             "be a superuser (those may change anything)";
    return false;
  }
  const std::string r = quoted(role);
  const std::string schema = quoted(facts[2]);
  const std::string sql =
      "BEGIN;"
      "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" +
      role + "') THEN CREATE ROLE " + r +
      " LOGIN; END IF; END $$;"
      "GRANT CONNECT ON DATABASE " +
      quoted(facts[1]) + " TO " + r + ";GRANT USAGE ON SCHEMA " + schema + " TO " + r +
      ";GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema + " TO " + r +
      ";GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA " + schema + " TO " + r +
      ";ALTER DEFAULT PRIVILEGES IN SCHEMA " + schema +
      " GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO " + r +
      ";ALTER DEFAULT PRIVILEGES IN SCHEMA " + schema + " GRANT USAGE, SELECT ON SEQUENCES TO " +
      r +
      // The audit log is append-only for the application, by grant as well as by trigger.
      ";REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON audit_log FROM " + r +
      ";REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;";
  if (!connection.exec(sql, &what) || !connection.exec_expecting("COMMIT", "COMMIT", &what)) {
    connection.exec("ROLLBACK");
    *error = role + ": " + what;
    return false;
  }
  return true;
}

}  // namespace kindband::server
