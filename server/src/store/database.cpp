#include "database.h"

#include "sqlite_database.h"
#ifdef KINDBAND_WITH_POSTGRES
#include "postgres_database.h"
#endif

namespace kindband::server {

Statement::Statement(Tx* tx, std::string_view sql) : tx_(tx) {
  handle_ = tx_ ? tx_->prepare(sql) : nullptr;
  failed_ = handle_ == nullptr;
}

Statement::~Statement() {
  if (handle_) tx_->finish(handle_);
}

Statement& Statement::bind(int index, std::string_view text) {
  if (handle_ && !tx_->bind_text(handle_, index, text)) failed_ = true;
  return *this;
}

Statement& Statement::bind(int index, int64_t value) {
  if (handle_ && !tx_->bind_integer(handle_, index, value)) failed_ = true;
  return *this;
}

Statement& Statement::bind_null(int index) {
  if (handle_ && !tx_->bind_null(handle_, index)) failed_ = true;
  return *this;
}

Statement& Statement::bind_optional(int index, const std::optional<std::string>& text) {
  return text ? bind(index, *text) : bind_null(index);
}

bool Statement::step() {
  if (!handle_ || failed_) return false;
  switch (tx_->step(handle_)) {
    case Tx::Step::kRow:
      return true;
    case Tx::Step::kDone:
      return false;
    case Tx::Step::kError:
      break;
  }
  failed_ = true;
  return false;
}

bool Statement::run() {
  while (step()) {
  }
  return !failed_;
}

std::string Statement::text(int column) const { return tx_->column_text(handle_, column); }

std::optional<std::string> Statement::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

int64_t Statement::integer(int column) const { return tx_->column_integer(handle_, column); }

bool Statement::is_null(int column) const { return tx_->column_is_null(handle_, column); }

bool is_database_url(const std::string& location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

std::unique_ptr<Database> open_database(const std::string& location, std::string* error) {
  if (is_database_url(location)) {
#ifdef KINDBAND_WITH_POSTGRES
    auto database = std::make_unique<PostgresDatabase>();
    if (!database->open(location, error)) return nullptr;
    return database;
#else
    *error = location.substr(0, location.find("://") + 3) +
             "…: this server was built without PostgreSQL (libpq was not found when it was "
             "built: install libpq-dev and build again), or give a database file path";
    return nullptr;
#endif
  }
  auto database = std::make_unique<SqliteDatabase>();
  if (!database->open(location, error)) return nullptr;
  return database;
}

#ifndef KINDBAND_WITH_POSTGRES
namespace {
bool without_postgres(std::string* error) {
  *error =
      "this kindband-admin was built without PostgreSQL (libpq was not found when it was built: "
      "install libpq-dev and build again)";
  return false;
}
}  // namespace
#endif

bool export_to_postgres(Database* source, const std::string& target, const ExportCheck& check,
                        std::vector<TableCopied>* copied, std::string* error) {
  if (!is_database_url(target)) {
    *error = target + ": not a postgresql:// URL";
    return false;
  }
#ifdef KINDBAND_WITH_POSTGRES
  return export_to_postgres_database(source, target, check, copied, error);
#else
  (void)source, (void)check, (void)copied;
  return without_postgres(error);
#endif
}

bool set_up_application_role(const std::string& location, const std::string& role,
                             std::string* error) {
  if (!is_database_url(location)) {
    *error = "--application-role: SQLite has no roles (a file is protected by its permissions)";
    return false;
  }
#ifdef KINDBAND_WITH_POSTGRES
  return set_up_application_role_on(location, role, error);
#else
  (void)role;
  return without_postgres(error);
#endif
}

bool copy_backup(const std::string& backup, const std::string& destination, std::string* error) {
  return sqlite_copy_database(backup, destination, error);
}

}  // namespace kindband::server
