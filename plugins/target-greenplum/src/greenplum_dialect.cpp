#include "greenplum_dialect.hpp"

#include "sightline/plugin/api.hpp"

namespace sightline::target_greenplum {

using sightline::plugin::Error;

namespace {

bool first_of_month(const std::string& date) {
    if (date.size() != 10 || date[4] != '-' || date[7] != '-' || date.substr(8) != "01") {
        return false;
    }
    for (size_t i : {0, 1, 2, 3, 5, 6}) {
        if (date[i] < '0' || date[i] > '9') return false;
    }
    const int month = (date[5] - '0') * 10 + (date[6] - '0');
    return month >= 1 && month <= 12;
}

}  // namespace

void check_options(const GreenplumOptions& options) {
    for (const auto* date : {&options.partition_start, &options.partition_end}) {
        if (!first_of_month(*date)) {
            throw Error("partition dates must be the first of a month, YYYY-MM-01 (got '" + *date +
                        "')");
        }
    }
    if (!(options.partition_start < options.partition_end)) {
        throw Error("'partition_start' must come before 'partition_end'");
    }
    if (options.compresslevel < 1 || options.compresslevel > 19) {
        throw Error("'compresslevel' must be between 1 and 19");
    }
}

GreenplumDialect::GreenplumDialect(GreenplumOptions options) : options_(std::move(options)) {
    check_options(options_);
}

std::string GreenplumDialect::small_table_clause(const char* distribution_key) const {
    // Unique constraints must include the distribution key; a table without one is copied to
    // every segment.
    if (!distribution_key) return "\nDISTRIBUTED REPLICATED";
    return std::string("\nDISTRIBUTED BY (") + distribution_key + ")";
}

std::string GreenplumDialect::sales_table_clause() const {
    // Per-customer work (the segment language's universe, order totals) stays on one segment;
    // date ranges prune to their months; lines outside the range land in the DEFAULT partition.
    return "\nWITH (appendoptimized=true, orientation=column, compresstype=zstd, compresslevel=" +
           std::to_string(options_.compresslevel) +
           ")\n"
           "DISTRIBUTED BY (customer)\n"
           "PARTITION BY RANGE (ts)\n"
           "(START ('" +
           options_.partition_start + " 00:00:00+00'::timestamptz) INCLUSIVE END ('" +
           options_.partition_end +
           " 00:00:00+00'::timestamptz) EXCLUSIVE EVERY (INTERVAL '1 month'),\n"
           " DEFAULT PARTITION outside_range)";
}

}  // namespace sightline::target_greenplum
