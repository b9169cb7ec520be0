// Which fields hold content (sealed at rest, sealing.h) and the work done on all of them at once:
// sealing what an older database kept in clear (schema 9 -> 10) and wrapping every data key again
// under a new content key (kindband-admin rotate-content-key). Above the seam: the same SQL runs
// on every engine.
#ifndef KINDBAND_SERVER_STORE_SEALED_CONTENT_H_
#define KINDBAND_SERVER_STORE_SEALED_CONTENT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "database.h"

namespace kindband::server {

// One sealed field: table.column, and the columns that name its record (joined with ':' they are
// the record id bound into the sealed value); integer_columns[i] is true for an INTEGER column.
struct SealedField {
  const char* table;
  const char* column;
  std::vector<const char*> record_columns;
  std::vector<bool> integer_columns;
};

// Every field that holds content (docs/envelope.md keeps the same list).
const std::vector<SealedField>& sealed_fields();

// Writes plain, sealed, into table.column of the row whose INTEGER id is id (for rows whose id
// is known only after the INSERT ... RETURNING id that made them).
bool store_sealed(Tx* db, const char* table, const char* column, int64_t id,
                  const std::string& plain);

// Seals every value still in clear (a database from before schema 10, or restored from such a
// backup), in one write job, then purges the engine's logs. Marks the database so that later
// starts skip the scan (meta content_sealed). Counts the values sealed into *sealed.
bool seal_clear_content(Database* database, int64_t* sealed, std::string* error);

// True when the database is sealed (seal_clear_content ran on it): a copy of it needs no key.
bool content_is_sealed(Database* database);

// Wraps every sealed value's data key again under the current content key (install the new key
// with the old one as previous first), in one write job, and marks the database as sealed under
// the new key. Counts the values rewrapped into *rewrapped.
bool rewrap_content(Database* database, int64_t* rewrapped, std::string* error);

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_STORE_SEALED_CONTENT_H_
