#include "postgres_connection.h"

#include <cstdlib>
#include <cstring>

#include "schema.h"

namespace kindband::server {
namespace {

// At most this many SQL texts stay prepared per connection; past it a statement is prepared for
// one use and deallocated (all SQL in the server is fixed text, so this is a guard).
constexpr size_t kMaxPreparedStatements = 1024;

bool is_word_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Replaces every occurrence of `word` that stands alone (not part of a longer name).
void replace_words(std::string* text, std::string_view word, std::string_view with) {
  size_t at = 0;
  while ((at = text->find(word, at)) != std::string::npos) {
    const size_t end = at + word.size();
    const bool alone = (at == 0 || !is_word_character((*text)[at - 1])) &&
                       (end >= text->size() || !is_word_character((*text)[end]));
    if (!alone) {
      at = end;
      continue;
    }
    text->replace(at, word.size(), with);
    at += with.size();
  }
}

std::string column_type(std::string definition) {
  replace_words(&definition, "INTEGER", "BIGINT");
  return definition;
}

// What PostgreSQL needs beyond the translated tables: the indexes that SQLite's migrations make,
// the append-only audit log (a trigger refuses UPDATE, DELETE and TRUNCATE for every role; a
// deployment's application role also has no UPDATE or DELETE grant on it, docs/deployment.md), and
// no samples of content in the planner's statistics.
constexpr const char* kPostgresExtras = R"sql(
CREATE INDEX IF NOT EXISTS shares_by_family ON shares(family_id);
CREATE INDEX IF NOT EXISTS audit_log_by_family ON audit_log(family_id) WHERE family_id != '';
CREATE INDEX IF NOT EXISTS share_recipients_counts
  ON share_recipients(organisation_id, status, case_state, junk, rank);
CREATE INDEX IF NOT EXISTS share_recipients_family_inbox
  ON share_recipients(organisation_id, family_id, rank DESC, received_at DESC, share_id DESC);
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
CREATE OR REPLACE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE OR REPLACE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
DO $$
DECLARE c record;
BEGIN
  FOR c IN
    SELECT k.relname AS table_name, a.attname AS column_name
      FROM pg_attribute a JOIN pg_class k ON k.oid = a.attrelid
     WHERE k.relnamespace = to_regnamespace(current_schema())::oid AND a.attstattarget <> 0
       AND (k.relname, a.attname) IN (VALUES
         ('shares', 'payload'), ('shares', 'summary'), ('shares', 'note'),
         ('shares', 'case_close_note'), ('share_recipients', 'note'), ('messages', 'text'),
         ('agreements', 'what'), ('agreements', 'parents_comment'),
         ('agreement_comments', 'text'), ('proposals', 'reason'), ('triages', 'conversation'),
         ('triages', 'record'), ('triage_meldcode', 'reason'), ('notify_parents', 'email'),
         ('family_parents', 'name'), ('families', 'name'))
  LOOP
    EXECUTE format('ALTER TABLE %I ALTER COLUMN %I SET STATISTICS 0', c.table_name, c.column_name);
  END LOOP;
END $$;
)sql";

}  // namespace

std::string postgres_parameters(std::string_view sql, int* parameters) {
  std::string out;
  out.reserve(sql.size() + 8);
  int highest = 0;
  size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      // A literal or quoted name, with doubled quotes inside: copied as it is.
      size_t end = i + 1;
      while (end < sql.size()) {
        if (sql[end] == c) {
          if (end + 1 < sql.size() && sql[end + 1] == c) {
            end += 2;
            continue;
          }
          break;
        }
        ++end;
      }
      end = std::min(end + 1, sql.size());
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const size_t end = std::min(sql.find('\n', i), sql.size());
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '?') {
      size_t end = i + 1;
      int number = 0;
      while (end < sql.size() && sql[end] >= '0' && sql[end] <= '9') {
        number = number * 10 + (sql[end] - '0');
        ++end;
      }
      // SQLite's rule: a bare `?` is one more than the highest number so far.
      if (end == i + 1) number = highest + 1;
      highest = std::max(highest, number);
      out += '$';
      out += std::to_string(number);
      i = end;
    } else {
      out += c;
      ++i;
    }
  }
  *parameters = highest;
  return out;
}

std::string postgres_schema() {
  std::string text = schema_tables();
  // SQLite's triggers; kPostgresExtras has PostgreSQL's.
  for (size_t at; (at = text.find("CREATE TRIGGER")) != std::string::npos;) {
    const size_t end = text.find("END;", at);
    text.erase(at, end == std::string::npos ? std::string::npos : end + 4 - at);
  }
  // SQLite's INTEGER PRIMARY KEY is the row id, assigned when an INSERT leaves it out.
  for (const char* key : {"id", "seq"}) {
    replace_words(&text, std::string(key) + " INTEGER PRIMARY KEY",
                  std::string(key) + " BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
  }
  replace_words(&text, "INTEGER", "BIGINT");  // SQLite's integers are 64-bit
  for (const AddedColumn& added : schema_added_columns()) {
    text += std::string("ALTER TABLE ") + added.table + " ADD COLUMN IF NOT EXISTS " +
            added.column + " " + column_type(added.definition) + ";\n";
  }
  text += kPostgresExtras;
  return text;
}

PostgresConnection::~PostgresConnection() { close(); }

void PostgresConnection::close() {
  if (conn_) PQfinish(conn_);
  conn_ = nullptr;
  prepared_.clear();
}

namespace {
void ignore_notice(void*, const char*) {}
}  // namespace

bool PostgresConnection::open(const std::string& conninfo, std::string* error) {
  close();
  conn_ = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn_) != CONNECTION_OK) {
    last_error_ = PQerrorMessage(conn_);
    while (!last_error_.empty() && last_error_.back() == '\n') last_error_.pop_back();
    if (error) *error = "cannot connect: " + last_error_;
    close();
    return false;
  }
  // "relation already exists, skipping" and the like are not the server's news.
  PQsetNoticeProcessor(conn_, &ignore_notice, nullptr);
  // Every commit is on disk (and on a synchronous standby) before it is acknowledged, whatever
  // the cluster's default says. Times are the server's own (UTC text), never the session's.
  if (!exec("SET synchronous_commit = on; SET TIME ZONE 'UTC'; SET client_encoding = 'UTF8'",
            error)) {
    close();
    return false;
  }
  return true;
}

bool PostgresConnection::exec(std::string_view sql, std::string* error) {
  return exec_expecting(sql, "", error);
}

bool PostgresConnection::exec_expecting(std::string_view sql, std::string_view tag,
                                        std::string* error) {
  if (!conn_) {
    last_error_ = "no database connection";
    if (error) *error = last_error_;
    return false;
  }
  PGresult* result = PQexec(conn_, std::string(sql).c_str());
  const ExecStatusType status = PQresultStatus(result);
  bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
  if (ok && !tag.empty() && tag != PQcmdStatus(result)) {
    last_error_ = std::string("the transaction ended in ") + PQcmdStatus(result);
    ok = false;
  } else if (!ok) {
    last_error_ = result ? PQresultErrorMessage(result) : PQerrorMessage(conn_);
    while (!last_error_.empty() && last_error_.back() == '\n') last_error_.pop_back();
  }
  PQclear(result);
  if (!ok && error) *error = last_error_;
  return ok;
}

PostgresConnection::Cursor* PostgresConnection::prepare(std::string_view sql) {
  if (!conn_) return nullptr;
  auto* cursor = new Cursor;
  auto it = prepared_.find(std::string(sql));
  if (it == prepared_.end()) {
    int parameters = 0;
    const std::string translated = postgres_parameters(sql, &parameters);
    const bool keep = prepared_.size() < kMaxPreparedStatements;
    const std::string name = (keep ? "k" : "t") + std::to_string(++statement_names_);
    PGresult* result = PQprepare(conn_, name.c_str(), translated.c_str(), 0, nullptr);
    const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    if (!ok) {
      last_error_ = result ? PQresultErrorMessage(result) : PQerrorMessage(conn_);
      while (!last_error_.empty() && last_error_.back() == '\n') last_error_.pop_back();
    }
    PQclear(result);
    if (!ok) {
      delete cursor;
      return nullptr;
    }
    if (!keep) {
      cursor->name = name;
      cursor->parameters = parameters;
      cursor->values.resize(static_cast<size_t>(parameters));
      return cursor;
    }
    it = prepared_.emplace(std::string(sql), Prepared{name, parameters}).first;
  }
  cursor->name = it->second.name;
  cursor->parameters = it->second.parameters;
  cursor->values.resize(static_cast<size_t>(cursor->parameters));
  return cursor;
}

void PostgresConnection::finish(Cursor* cursor) {
  if (!cursor) return;
  if (cursor->result) PQclear(cursor->result);
  if (cursor->name[0] == 't' && conn_ && !in_failed_transaction()) {
    exec("DEALLOCATE " + cursor->name);
  }
  delete cursor;
}

PostgresConnection::Next PostgresConnection::step(Cursor* cursor) {
  if (!cursor->executed) {
    cursor->executed = true;
    std::vector<const char*> values;
    values.reserve(cursor->values.size());
    for (const auto& value : cursor->values) values.push_back(value ? value->c_str() : nullptr);
    cursor->result = PQexecPrepared(conn_, cursor->name.c_str(), cursor->parameters, values.data(),
                                    nullptr, nullptr, 0);
    const ExecStatusType status = PQresultStatus(cursor->result);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      last_error_ = cursor->result ? PQresultErrorMessage(cursor->result) : PQerrorMessage(conn_);
      while (!last_error_.empty() && last_error_.back() == '\n') last_error_.pop_back();
      return Next::kError;
    }
    const char* tuples = PQcmdTuples(cursor->result);
    if (tuples && *tuples) changes_ = std::strtoll(tuples, nullptr, 10);
    cursor->row = -1;
  }
  if (!cursor->result) return Next::kError;
  ++cursor->row;
  return cursor->row < PQntuples(cursor->result) ? Next::kRow : Next::kDone;
}

namespace {
PostgresConnection::Cursor* cursor_of(void* handle) {
  return static_cast<PostgresConnection::Cursor*>(handle);
}
bool set_value(void* handle, int index, std::optional<std::string> value) {
  auto* cursor = cursor_of(handle);
  if (index < 1 || index > cursor->parameters || cursor->executed) return false;
  cursor->values[static_cast<size_t>(index - 1)] = std::move(value);
  return true;
}
}  // namespace

bool PostgresTx::bind_text(void* handle, int index, std::string_view text) {
  return set_value(handle, index, std::string(text));
}

bool PostgresTx::bind_integer(void* handle, int index, int64_t value) {
  return set_value(handle, index, std::to_string(value));
}

bool PostgresTx::bind_null(void* handle, int index) {
  return set_value(handle, index, std::nullopt);
}

std::string PostgresTx::column_text(void* handle, int column) const {
  const auto* cursor = cursor_of(handle);
  if (!cursor->result || cursor->row < 0 || column >= PQnfields(cursor->result)) return {};
  const char* value = PQgetvalue(cursor->result, cursor->row, column);
  if (!value) return {};
  return std::string(value, static_cast<size_t>(PQgetlength(cursor->result, cursor->row, column)));
}

int64_t PostgresTx::column_integer(void* handle, int column) const {
  const std::string value = column_text(handle, column);
  if (value == "t") return 1;  // a boolean, as SQLite would give it
  if (value == "f") return 0;
  return std::strtoll(value.c_str(), nullptr, 10);
}

bool PostgresTx::column_is_null(void* handle, int column) const {
  const auto* cursor = cursor_of(handle);
  if (!cursor->result || cursor->row < 0 || column >= PQnfields(cursor->result)) return true;
  return PQgetisnull(cursor->result, cursor->row, column) == 1;
}

}  // namespace kindband::server
