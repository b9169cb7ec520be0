// The erasure list: what parents erased, by id only (no content, no names), one line each in an
// append-only file next to the database (DATABASE.erasures). A backup made before an erasure
// still holds what was erased; `kindband-admin restore` re-applies this list to the restored
// database before it goes into place, so a restore never brings erased data back
// (docs/deployment.md, backups). Lines: "<time> family <family id>", "<time> parent <family id>
// <role>", "<time> share <share id>".
#ifndef KINDBAND_SERVER_NETWORK_ERASURE_LIST_H_
#define KINDBAND_SERVER_NETWORK_ERASURE_LIST_H_

#include <string>

#include "database.h"

namespace kindband::server {

// The list that belongs to the database file at database_path.
std::string erasure_list_path(const std::string& database_path);

// Appends one entry (kind family, parent or share) to the list of the database db is open on and
// syncs it to disk. Called inside the erasure's transaction, before it commits: an entry whose
// transaction then fails is re-applied later as the parent asked. False when it could not be
// written (the erasure then fails too). A database without a file (in memory) has no list.
bool append_erasure(Tx* db, const std::string& kind, const std::string& id,
                    const std::string& role = "");

struct ErasureReplay {
  int entries = 0;   // lines read
  int families = 0;  // families erased again
  int parents = 0;   // parents' data erased again
  int shares = 0;    // shares withdrawn again
};

// Re-applies every entry of the list at path to database (a restored one), one transaction per
// entry; what is erased there already is left alone. A missing list is an empty one. False with
// error (naming the line) when the list cannot be read or an entry cannot be applied.
bool reapply_erasures(Database* database, const std::string& path, ErasureReplay* replay,
                      std::string* error);

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_NETWORK_ERASURE_LIST_H_
