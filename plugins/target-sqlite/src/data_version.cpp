#include "data_version.hpp"

#include "sightline/plugin/api.hpp"

namespace sightline::target_sqlite {

sightline::plugin::DataVersion read_data_version(Connection& db) {
    Statement st(db,
                 "SELECT (SELECT id FROM incarnation), "
                 "(SELECT count(*) FROM deletions) + (SELECT count(*) FROM files "
                 "WHERE kind = 'sales' AND mode = 'full' AND result = 'loaded'), "
                 "(SELECT coalesce(max(id), 0) FROM files)");
    if (!st.step() || st.is_null(0)) {
        throw sightline::plugin::Error("the " + db.label() +
                                       " database has no incarnation (schema not migrated)");
    }
    sightline::plugin::DataVersion version;
    version.incarnation = st.column_string(0);
    version.removals = static_cast<uint64_t>(st.column_int64(1));
    version.mark = static_cast<uint64_t>(st.column_int64(2));
    return version;
}

}  // namespace sightline::target_sqlite
