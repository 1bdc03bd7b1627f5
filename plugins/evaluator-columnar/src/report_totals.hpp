// The exact report totals of plugin/report.hpp (words as in docs/reports.md) from a snapshot:
// per-day lines, per-day purchases as of to - 1 µs, the lifecycle stage matrix, and items and
// categories (ancestors included, once per category per line) with revenue and buyers.
#pragma once

#include "sightline/plugin/report.hpp"
#include "snapshot.hpp"

namespace sightline::evaluator_columnar {

plugin::report::Totals compute_report_totals(const Snapshot& snapshot,
                                             const plugin::report::Request& request);

}  // namespace sightline::evaluator_columnar
