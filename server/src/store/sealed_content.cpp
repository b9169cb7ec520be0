#include "sealed_content.h"

#include <functional>
#include <optional>
#include <utility>

#include "key_file.h"
#include "sealing.h"

namespace kindband::server {
namespace {

std::string record_of(const SealedField& field, const Statement& row) {
  std::string record;
  for (size_t i = 0; i < field.record_columns.size(); ++i) {
    if (i) record += ':';
    record += row.text(static_cast<int>(i));
  }
  return record;
}

// Calls change(record, value) for each non-NULL value of the field and writes back what it
// returns (nullopt: leave as it is). Stops with false on an engine error or a SealError.
bool transform(Tx* db, const SealedField& field,
               const std::function<std::optional<std::string>(const std::string& record,
                                                              const std::string& value)>& change,
               int64_t* changed, std::string* error) {
  std::string keys, match;
  for (const char* column : field.record_columns) {
    keys += std::string(keys.empty() ? "" : ", ") + column;
    match += std::string(match.empty() ? "" : " AND ") + column + " = ?";
  }
  struct Row {
    std::vector<std::string> key;
    std::string record, value;
  };
  std::vector<Row> rows;
  {
    Statement select(db, "SELECT " + keys + ", " + field.column + " FROM " + field.table +
                             " WHERE " + field.column + " IS NOT NULL");
    const int value_column = static_cast<int>(field.record_columns.size());
    while (select.step()) {
      Row row{{}, record_of(field, select), select.text(value_column)};
      for (int i = 0; i < value_column; ++i) row.key.push_back(select.text(i));
      rows.push_back(std::move(row));
    }
    if (select.failed()) {
      *error = std::string(field.table) + "." + field.column + ": " + db->last_error();
      return false;
    }
  }
  const std::string update =
      std::string("UPDATE ") + field.table + " SET " + field.column + " = ? WHERE " + match;
  for (const Row& row : rows) {
    std::optional<std::string> replacement;
    try {
      replacement = change(row.record, row.value);
    } catch (const SealError& e) {
      *error = e.what();
      return false;
    }
    if (!replacement) continue;
    Statement write(db, update);
    write.bind(1, *replacement);
    for (size_t i = 0; i < row.key.size(); ++i) {
      if (field.integer_columns[i]) {
        write.bind(static_cast<int>(i) + 2, static_cast<int64_t>(std::stoll(row.key[i])));
      } else {
        write.bind(static_cast<int>(i) + 2, row.key[i]);
      }
    }
    if (!write.run()) {
      *error = std::string(field.table) + "." + field.column + ": " + db->last_error();
      return false;
    }
    ++*changed;
  }
  return true;
}

bool marked_sealed(Tx* db) {
  Statement row(db, "SELECT value FROM meta WHERE key = 'content_sealed'");
  return row.step() && row.text(0) == "1";
}

}  // namespace

const std::vector<SealedField>& sealed_fields() {
  static const std::vector<SealedField> fields = {
      {"shares", "payload", {"share_id"}, {false}},
      {"shares", "summary", {"share_id"}, {false}},
      {"shares", "case_close_note", {"share_id"}, {false}},
      {"share_recipients", "note", {"share_id", "organisation_id"}, {false, true}},
      {"messages", "text", {"id"}, {true}},
      {"agreements", "what", {"id"}, {true}},
      {"agreements", "parents_comment", {"id"}, {true}},
      {"agreement_comments", "text", {"id"}, {true}},
      {"proposals", "reason", {"id"}, {true}},
      {"triages", "record", {"id"}, {true}},
      {"triage_meldcode", "reason", {"triage_id", "organisation_id"}, {true, true}},
      {"families", "name", {"id"}, {false}},
      {"family_parents", "name", {"id"}, {false}},
      {"notify_parents", "email", {"family_id", "role"}, {false, false}},
      {"notify_professionals", "email", {"professional_id"}, {true}},
      {"notify_organisations", "team_email", {"organisation_id"}, {true}},
      {"invitation_mails", "email", {"id"}, {true}},
      {"invitation_mails", "link", {"id"}, {true}},
  };
  return fields;
}

bool store_sealed(Tx* db, const char* table, const char* column, int64_t id,
                  const std::string& plain) {
  Statement update(db, std::string("UPDATE ") + table + " SET " + column + " = ? WHERE id = ?");
  return update.bind(1, seal(table, column, std::to_string(id), plain)).bind(2, id).run();
}

bool seal_clear_content(Database* database, int64_t* sealed, std::string* error) {
  *sealed = 0;
  bool already = false;
  const auto outcome = database->write([&](Tx* db) {
    if (marked_sealed(db)) {
      already = true;
      return true;
    }
    for (const SealedField& field : sealed_fields()) {
      const bool ok = transform(
          db, field,
          [&](const std::string& record, const std::string& value) -> std::optional<std::string> {
            if (is_sealed(value)) return std::nullopt;
            return seal(field.table, field.column, record, value);
          },
          sealed, error);
      if (!ok) return false;
    }
    // Schema 5 moved each share's note to its recipients (sealed above); the old copy goes.
    Statement old_notes(db, "UPDATE shares SET note = NULL WHERE note IS NOT NULL");
    if (!old_notes.run()) {
      *error = "shares.note: " + db->last_error();
      return false;
    }
    *sealed += db->changes();
    Statement mark(db,
                   "INSERT INTO meta(key, value) VALUES('content_sealed', '1') ON CONFLICT(key) "
                   "DO UPDATE SET value = '1'");
    if (!mark.run()) {
      *error = "meta: " + db->last_error();
      return false;
    }
    return true;
  });
  if (outcome != Database::Outcome::kCommitted) {
    if (error->empty()) *error = "sealing the content in clear could not be committed";
    return false;
  }
  // The clear values are overwritten in the file (secure_delete); the log goes too.
  if (!already && *sealed > 0 && !database->purge_logs()) {
    *error = "the content was sealed, but the database's log could not be emptied";
    return false;
  }
  return true;
}

bool content_is_sealed(Database* database) {
  auto snapshot = database->read();
  return snapshot.tx() && marked_sealed(snapshot.tx());
}

bool rewrap_content(Database* database, int64_t* rewrapped, std::string* error) {
  *rewrapped = 0;
  const std::string current = current_content_key_id();
  const auto outcome = database->write([&](Tx* db) {
    for (const SealedField& field : sealed_fields()) {
      const bool ok = transform(
          db, field,
          [&](const std::string& record, const std::string& value) -> std::optional<std::string> {
            if (sealed_key_id(value) == current) return std::nullopt;
            return rewrap_sealed(field.table, field.column, record, value);
          },
          rewrapped, error);
      if (!ok) return false;
    }
    if (!set_content_key_id(db, current)) {
      *error = "meta: " + db->last_error();
      return false;
    }
    return true;
  });
  if (outcome != Database::Outcome::kCommitted) {
    if (error->empty()) *error = "the rewrapped keys could not be committed";
    return false;
  }
  return database->purge_logs();
}

}  // namespace kindband::server
