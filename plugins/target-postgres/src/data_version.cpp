#include "data_version.hpp"

#include "sightline/plugin/api.hpp"

namespace sightline::target_pg {

sightline::plugin::DataVersion read_data_version(pqxx::transaction_base& tx) {
    const auto row = tx.exec(
        "SELECT (SELECT id FROM incarnation LIMIT 1), "
        "(SELECT count(*) FROM deletions) + (SELECT count(*) FROM files "
        "WHERE kind = 'sales' AND mode = 'full' AND result = 'loaded'), "
        "(SELECT coalesce(max(id), 0) FROM files)")[0];
    if (row[0].is_null()) {
        throw sightline::plugin::Error("the tenant database has no incarnation (not migrated)");
    }
    sightline::plugin::DataVersion version;
    version.incarnation = row[0].as<std::string>();
    version.removals = static_cast<uint64_t>(row[1].as<int64_t>());
    version.mark = static_cast<uint64_t>(row[2].as<int64_t>());
    return version;
}

}  // namespace sightline::target_pg
