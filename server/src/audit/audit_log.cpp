#include "audit_log.h"

#include <nlohmann/json.hpp>

#include "database.h"
#include "text_util.h"

namespace kindband::server {
namespace {

const std::string kGenesisHash(64, '0');

// Each field is length-prefixed so that moving text between fields changes the hash.
std::string chain_hash(const std::string& prev_hash, int64_t seq, const std::string& at,
                       const AuditEvent& e) {
  std::string material = "kindband-audit-v1";
  for (const std::string* field : {&prev_hash, &at, &e.actor, &e.role, &e.organisation, &e.action,
                                   &e.share_id, &e.address, &e.detail}) {
    material += '\n' + std::to_string(field->size()) + ':' + *field;
  }
  material += "\nseq:" + std::to_string(seq);
  // Added with the care network; rows without a family hash exactly as before.
  if (!e.family_id.empty()) material += "\nfamily:" + e.family_id;
  return sha256_hex(material);
}

}  // namespace

bool append_audit(Tx* db, const AuditEvent& event, std::string* error) {
  std::string prev_hash = kGenesisHash;
  int64_t seq = 1;
  {
    Statement last(db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    if (last.step()) {
      seq = last.integer(0) + 1;
      prev_hash = last.text(1);
    } else if (last.failed()) {
      if (error) *error = db->last_error();
      return false;
    }
  }
  std::string at = utc_timestamp_now();
  std::string hash = chain_hash(prev_hash, seq, at, event);
  Statement insert(db,
                   "INSERT INTO audit_log(seq, at, actor, role, organisation, action, share_id, "
                   "address, detail, prev_hash, hash, family_id) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
  insert.bind(1, seq)
      .bind(2, at)
      .bind(3, event.actor)
      .bind(4, event.role)
      .bind(5, event.organisation)
      .bind(6, event.action)
      .bind(7, event.share_id)
      .bind(8, event.address)
      .bind(9, event.detail)
      .bind(10, prev_hash)
      .bind(11, hash)
      .bind(12, event.family_id);
  if (!insert.run()) {
    if (error) *error = db->last_error();
    return false;
  }
  return true;
}

AuditVerification verify_audit_chain(Tx* db) {
  AuditVerification v;
  Statement rows(db,
                 "SELECT seq, at, actor, role, organisation, action, share_id, address, detail, "
                 "prev_hash, hash, family_id FROM audit_log ORDER BY seq");
  std::string expected_prev = kGenesisHash;
  int64_t expected_seq = 1;
  while (rows.step()) {
    int64_t seq = rows.integer(0);
    AuditEvent e{rows.text(2), rows.text(3), rows.text(4), rows.text(5),
                 rows.text(6), rows.text(7), rows.text(8), rows.text(11)};
    std::string prev_hash = rows.text(9);
    std::string hash = rows.text(10);
    auto fail = [&](const std::string& problem) {
      v.first_bad_seq = seq;
      v.problem = problem;
      return v;
    };
    if (seq != expected_seq) {
      return fail("row " + std::to_string(expected_seq) + " is missing (next row is " +
                  std::to_string(seq) + ")");
    }
    if (prev_hash != expected_prev) return fail("prev_hash does not match the previous row");
    if (hash != chain_hash(prev_hash, seq, rows.text(1), e)) {
      return fail("hash does not match the row's content (row was changed)");
    }
    expected_prev = hash;
    ++expected_seq;
    ++v.rows;
  }
  if (rows.failed()) {
    v.problem = std::string("database error: ") + db->last_error();
    return v;
  }
  v.ok = true;
  v.head_hash = v.rows ? expected_prev : "";
  return v;
}

int64_t export_audit_log(Tx* db, std::ostream& out) {
  Statement rows(db,
                 "SELECT seq, at, actor, role, organisation, action, share_id, address, detail, "
                 "prev_hash, hash, family_id FROM audit_log ORDER BY seq");
  int64_t count = 0;
  while (rows.step()) {
    nlohmann::ordered_json row;
    row["seq"] = rows.integer(0);
    row["at"] = rows.text(1);
    row["actor"] = rows.text(2);
    row["role"] = rows.text(3);
    row["organisation"] = rows.text(4);
    row["action"] = rows.text(5);
    row["share_id"] = rows.text(6);
    row["address"] = rows.text(7);
    row["detail"] = rows.text(8);
    if (!rows.is_null(11) && !rows.text(11).empty()) row["family_id"] = rows.text(11);
    row["prev_hash"] = rows.text(9);
    row["hash"] = rows.text(10);
    out << row.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    ++count;
  }
  return rows.failed() ? -1 : count;
}

}  // namespace kindband::server
