#include "devices/parked_configs.h"

#include <pqxx/pqxx>

#include "devices/queries.h"

namespace switchyard::devices {

void ParkedConfigStore::park(std::int64_t job_id, const std::vector<ParkedConfigs>& devices) {
    if (devices.empty()) return;
    pqxx::work tx(conn_);
    for (auto& d : devices)
        sql::parked_configs::park(tx, sqlgen::prepared,
                                  {.job_id = job_id,
                                   .hostname = d.hostname,
                                   .read = sqlgen::Bytes{d.read},
                                   .intended = sqlgen::Bytes{d.intended}});
    tx.commit();
}

std::optional<ParkedConfigs> ParkedConfigStore::take(std::int64_t job_id, const std::string& hostname) {
    pqxx::work tx(conn_);
    auto row = sql::parked_configs::take(tx, sqlgen::prepared, {.job_id = job_id, .hostname = hostname});
    tx.commit();
    if (!row) return std::nullopt;
    return ParkedConfigs{hostname, std::move(row->read.bytes), std::move(row->intended.bytes)};
}

void ParkedConfigStore::drop(std::int64_t job_id) {
    pqxx::work tx(conn_);
    sql::parked_configs::drop_job(tx, {.job_id = job_id});
    tx.commit();
}

}  // namespace switchyard::devices
