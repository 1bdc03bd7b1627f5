#include "catalog.hpp"

#include "sightline/plugin/api.hpp"

namespace sightline::evaluator_memory {

void read_catalog(plugin::TenantStore& store,
                  const std::function<void(std::string_view item, std::string_view path)>& fn) {
    // scan_catalog's default (an older target) throws before calling fn, so nothing is
    // delivered twice.
    bool delivered = false;
    try {
        store.scan_catalog([&](std::string_view item, std::string_view path) {
            delivered = true;
            fn(item, path);
        });
        return;
    } catch (const plugin::Error&) {
        if (delivered) throw;  // a real failure half-way through, not an older target
    }
    store.query("SELECT item, path FROM catalog_categories", {}, [&](const plugin::SqlRow& row) {
        if (!row.is_null(0) && !row.is_null(1)) fn(row.get_text(0), row.get_text(1));
    });
}

}  // namespace sightline::evaluator_memory
