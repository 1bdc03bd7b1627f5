// Deterministic synthetic datasets in the v1 format, for demos, tests and benchmarks.
// The same options give the same bytes on every machine (own PRNG, no std distributions).
#pragma once

#include <cstdint>
#include <ostream>

namespace sightline::core {

struct GeneratorOptions {
    uint64_t rows = 1000;      // sales lines to write
    uint64_t customers = 100;  // distinct customer ids to draw from
    uint64_t seed = 1;
};

// A sales file: header and `rows` lines. Has what real data has: orders of several lines at
// different times, returns and full refunds, zero-total orders, one order id under two
// customers, customer ids at and above 2^63, all four custom field types, items missing from
// the catalog.
void generate_sales(const GeneratorOptions& options, std::ostream& out);

// The matching catalog: multi-level and multiple category paths; some sold items left out.
void generate_catalog(const GeneratorOptions& options, std::ostream& out);

}  // namespace sightline::core
