// Where snapshots come from: a full scan, an extension of an older snapshot with the lines of
// later loads, or (older targets) a throwaway build per request. Pure functions of a store; the
// resident cache (tenant_snapshots.hpp) decides which to call.
#pragma once

#include "sightline/plugin/target.hpp"
#include "snapshot.hpp"

namespace sightline::evaluator_columnar {

// Every line, through scan_sales_after(0) (API 1.5), and the catalog. expected_lines: about how
// many there are (0: unknown), to reserve the builder's columns once.
SnapshotPtr build_full(plugin::TenantStore& store, size_t expected_lines = 0);

// `old` plus the lines recorded after its mark, and the catalog now. Returns nullptr when the
// scan's version shows that lines were removed or the storage replaced since `old` (or a column
// changed type): then only a full build is meaningful.
SnapshotPtr build_extension(plugin::TenantStore& store, const Snapshot& old);

// For targets built before API 1.5 (no data version): scan_sales() and custom_columns(), the
// catalog through scan_catalog() or, if that is missing, the catalog_categories table as
// evaluator-memory reads it. The version is left unknown: never kept, never persisted.
SnapshotPtr build_unversioned(plugin::TenantStore& store);

}  // namespace sightline::evaluator_columnar
