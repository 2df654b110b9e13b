// GET /host_keys, DELETE /host_keys/<hostname>: the SSH host keys remembered
// under ssh.host_key_policy accept-new (trusted on first use), for admins.
// Forgetting one is for a device that was really re-keyed: its next
// connection trusts the key it shows then.
#include "devices/inventory.h"
#include "devices/pg_host_key_store.h"
#include "http_route.h"

#include <spdlog/spdlog.h>

namespace switchyard::api {

using nlohmann::json;

namespace {

json key_json(const std::string& hostname, const devices::HostKey& key) {
    return {
        {"hostname", hostname}, {"key_type", key.type}, {"fingerprint", key.fingerprint}, {"public_key", key.base64}};
}

}  // namespace

void add_host_key_routes(Router& router, ApiContext& ctx) {
    add_route(router, Method::get, "/api/v1.0/host_keys", "GET /host_keys", Role::admin,
              [&ctx](auto& req, auto& res, auto&) {
                  if (!req.params.empty())
                      throw BadRequest("unknown query parameter '" + req.params.begin()->first + "'");
                  json out = json::array();
                  ctx.pool.with([&](pqxx::connection& conn) {
                      for (auto& known : devices::PgHostKeyStore(conn).list()) {
                          json k = key_json(known.hostname, known.key);
                          k["first_seen"] = known.first_seen;
                          out.push_back(std::move(k));
                      }
                      return 0;
                  });
                  send_success(res, {{"host_keys", out}});
              });
    add_route(router, Method::del, "/api/v1.0/host_keys/{hostname}", "DELETE /host_keys", Role::admin,
              [&ctx](auto& req, auto& res, const Principal& who) {
                  const std::string& hostname = req.path_args[0];
                  require_utf8(hostname, "hostname");
                  if (auto err = devices::hostname_error(hostname); !err.empty()) throw BadRequest("hostname: " + err);
                  auto forgotten = ctx.pool.with([&](pqxx::connection& conn) {
                      devices::PgHostKeyStore store(conn);
                      auto key = store.find(hostname);
                      if (key && !store.forget(hostname)) key.reset();  // another admin was first
                      return key;
                  });
                  if (!forgotten) throw NotFound("no host key remembered for '" + hostname + "'");
                  spdlog::warn("{} forgot the SSH host key of {} ({} {}); its next connection trusts the key it shows",
                               who.subject, hostname, forgotten->type, forgotten->fingerprint);
                  json out = key_json(hostname, *forgotten);
                  out["status"] = "forgotten";
                  send_success(res, out);
              });
}

}  // namespace switchyard::api
