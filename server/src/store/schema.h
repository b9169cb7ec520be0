// The store's tables, written once. The text is SQLite's CREATE TABLE dialect (the embedded
// default, store/sqlite_connection.cpp); the PostgreSQL engine translates it (INTEGER to BIGINT,
// an identity for each `id`, triggers in PL/pgSQL), so both engines always hold the same tables
// and columns with the same meaning.
#ifndef KINDBAND_SERVER_STORE_SCHEMA_H_
#define KINDBAND_SERVER_STORE_SCHEMA_H_

#include <vector>

namespace kindband::server {

// A column added after the first release (made with ALTER TABLE ADD COLUMN on older databases).
struct AddedColumn {
  const char* table;
  const char* column;
  const char* definition;
};

// CREATE TABLE / INDEX IF NOT EXISTS for every table, then the audit log's append-only triggers.
const char* schema_tables();
// Columns added since, in order; the tables above do not have them yet.
std::vector<AddedColumn> schema_added_columns();
// The schema version a current store is at (SQLite keeps it in PRAGMA user_version).
int schema_version();

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_STORE_SCHEMA_H_
