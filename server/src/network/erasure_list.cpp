#include "erasure_list.h"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "audit_log.h"
#include "database.h"
#include "erasure.h"
#include "share_store.h"
#include "text_util.h"

namespace kindband::server {

namespace {

// Ids are made by the server or the widget (UUIDs, hex, slugs): nothing else may enter the list.
bool is_plain_id(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool write_all(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

AuditEvent replay_event(const std::string& action, const std::string& family_id) {
  AuditEvent event{"system", "system", "", action, "", "", "re-applied after a restore"};
  event.family_id = family_id;
  return event;
}

}  // namespace

std::string erasure_list_path(const std::string& database_path) {
  return database_path + ".erasures";
}

bool append_erasure(Tx* db, const std::string& kind, const std::string& id,
                    const std::string& role) {
  const std::string list = db->erasure_list_path();
  if (list.empty()) return true;  // an in-memory database keeps nothing to restore
  if (!is_plain_id(id) || (!role.empty() && !is_plain_id(role))) return false;
  const std::string line =
      utc_timestamp_now() + " " + kind + " " + id + (role.empty() ? "" : " " + role) + "\n";
  const int fd = open(list.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  const bool ok = write_all(fd, line) && fsync(fd) == 0;
  return close(fd) == 0 && ok;
}

bool reapply_erasures(Database* database, const std::string& path, ErasureReplay* replay,
                      std::string* error) {
  *replay = ErasureReplay{};
  std::ifstream in(path);
  if (!in) {
    if (access(path.c_str(), F_OK) != 0) return true;  // nothing was ever erased
    *error = path + ": cannot read the erasure list";
    return false;
  }
  std::string text;
  for (int line_number = 1; std::getline(in, text); ++line_number) {
    if (text.empty()) continue;
    std::istringstream fields(text);
    std::string at, kind, id, role;
    fields >> at >> kind >> id >> role;
    const std::string where = path + ":" + std::to_string(line_number) + ": ";
    if (!is_plain_id(id) || (kind != "family" && kind != "parent" && kind != "share") ||
        (kind == "parent") != !role.empty()) {
      *error = where + "not an erasure entry";
      return false;
    }
    ++replay->entries;
    bool applied = false;
    std::string failure;
    bool ok = database->write([&](Tx* db) {
      const bool done = [&] {
        if (kind == "share") {
          Statement row(db, "SELECT 1 FROM shares WHERE share_id = ? AND status != 'withdrawn'");
          row.bind(1, id);
          if (!row.step()) return !row.failed();
          bool found = false;
          applied = true;
          return erase_share_content(db, id, &found);
        }
        // A family the restored database does not know (made after the backup), or erased there
        // already, is left as it is.
        Statement family(db, "SELECT 1 FROM families WHERE id = ? AND erased_at IS NULL");
        family.bind(1, id);
        if (!family.step()) return !family.failed();
        if (kind == "family") {
          applied = true;
          return erase_family_in_tx(db, id, replay_event("family_erased", id));
        }
        Statement parent(db, "SELECT 1 FROM family_parents WHERE family_id = ? AND role = ?");
        parent.bind(1, id).bind(2, role);
        if (!parent.step()) return !parent.failed();
        applied = true;
        return erase_parent_in_tx(db, id, role, replay_event("parent_data_erased", id));
      }();
      if (!done) failure = db->last_error();
      return done;
    }) == Database::Outcome::kCommitted;
    if (!ok) {
      *error = where + "could not be applied: " + failure;
      return false;
    }
    if (applied) {
      (kind == "family" ? replay->families : kind == "parent" ? replay->parents : replay->shares)++;
    }
  }
  return true;
}

}  // namespace kindband::server
