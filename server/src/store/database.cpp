#include "database.h"

#include "sqlite_database.h"

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

std::unique_ptr<Database> open_database(const std::string& location, std::string* error) {
  if (location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0) {
    *error = location.substr(0, location.find('@') == std::string::npos ? location.size() : 13) +
             ": PostgreSQL is not built into this server yet; give a database file path";
    return nullptr;
  }
  auto database = std::make_unique<SqliteDatabase>();
  if (!database->open(location, error)) return nullptr;
  return database;
}

bool copy_backup(const std::string& backup, const std::string& destination, std::string* error) {
  return sqlite_copy_database(backup, destination, error);
}

}  // namespace kindband::server
