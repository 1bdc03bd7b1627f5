#include "snapshot_source.hpp"

#include "snapshot_builder.hpp"

namespace sightline::evaluator_columnar {

namespace sp = sightline::plugin;

namespace {

void read_catalog(sp::TenantStore& store, SnapshotBuilder& builder, bool fall_back) {
    try {
        store.scan_catalog(
            [&](std::string_view item, std::string_view path) { builder.add_catalog(item, path); });
        return;
    } catch (const sp::Error&) {
        if (!fall_back) throw;
    }
    store.query("SELECT item, path FROM catalog_categories", {}, [&](const sp::SqlRow& row) {
        if (row.is_null(0) || row.is_null(1)) return;
        builder.add_catalog(row.get_text(0), row.get_text(1));
    });
}

// Reads lines after `mark` into the builder; returns the scan's version.
sp::DataVersion scan_after(sp::TenantStore& store, uint64_t mark, SnapshotBuilder& builder) {
    sp::SalesScan scan;
    bool started = false;
    store.scan_sales_after(mark, scan, [&](const sp::Value* row) {
        if (!started) {
            builder.begin_rows(scan.custom);
            started = true;
        }
        builder.add_row(row);
    });
    // Columns of a scan without rows still exist (a field the data had matches nothing).
    if (!started) builder.begin_rows(scan.custom);
    return scan.version;
}

}  // namespace

SnapshotPtr build_full(sp::TenantStore& store, size_t expected_lines) {
    SnapshotBuilder builder;
    if (expected_lines > 0) builder.expect_rows(expected_lines);
    const sp::DataVersion version = scan_after(store, 0, builder);
    read_catalog(store, builder, false);
    return builder.finish(version);
}

SnapshotPtr build_extension(sp::TenantStore& store, const Snapshot& old) {
    try {
        SnapshotBuilder builder;
        builder.expect_rows(old.lines() + old.lines() / 8);
        builder.add_snapshot(old);
        const sp::DataVersion version = scan_after(store, old.version.mark, builder);
        if (version.incarnation != old.version.incarnation ||
            version.removals != old.version.removals)
            return nullptr;
        read_catalog(store, builder, false);
        return builder.finish(version);
    } catch (const IncompatibleColumns&) {
        return nullptr;
    }
}

SnapshotPtr build_unversioned(sp::TenantStore& store) {
    SnapshotBuilder builder;
    builder.begin_rows(store.custom_columns());
    store.scan_sales([&](const sp::Value* row) { builder.add_row(row); });
    read_catalog(store, builder, true);
    return builder.finish({});
}

}  // namespace sightline::evaluator_columnar
