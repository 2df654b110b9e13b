// A part of a transaction that may fail alone: a SAVEPOINT, rolled back when
// the part is left without commit(), the enclosing transaction going on.
//
// Use this, never pqxx::subtransaction directly. libpqxx 6.4 (Debian 12)
// sends a subtransaction's SAVEPOINT lazily, on its first exec(); exec_params()
// and exec_prepared(), which every sqlgen statement uses, skip that step. A
// statement failing first in such a subtransaction therefore failed the whole
// enclosing transaction: a completer batch, a rescue or a schedule round that
// was meant to lose one follow-up, one recovery or one tick lost everything and
// was tried again, failing again. Savepoint sends the SAVEPOINT at once.
#pragma once

#include <pqxx/pqxx>
#include <string>

namespace switchyard::store {

class Savepoint {
public:
    Savepoint(pqxx::dbtransaction& tx, const std::string& name) : sub_(tx, name) {
        sub_.exec("");  // an empty statement: through exec(), so the SAVEPOINT is sent first
    }
    // Where the part's statements run; commit() it to keep them.
    pqxx::subtransaction& tx() { return sub_; }

private:
    pqxx::subtransaction sub_;
};

}  // namespace switchyard::store
