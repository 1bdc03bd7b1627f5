// Selective deletion (lifecycle.hpp).
#include <mutex>

#include "sightline/core/evaluator_choice.hpp"
#include "sightline/core/history.hpp"
#include "sightline/core/lifecycle.hpp"
#include "sightline/core/member_lists.hpp"

namespace sightline::core {

using plugin::DeletionScope;
using plugin::Error;
using plugin::LogLevel;

namespace {

void check_request(const plugin::DeletionRequest& r) {
    if (r.reason.find_first_not_of(" \t\r\n") == std::string::npos)
        throw Error("a deletion needs a reason (it is kept in the tenant's history)");
    switch (r.scope) {
        case DeletionScope::customers:
            if (r.customers.empty()) throw Error("no customer ids to delete");
            break;
        case DeletionScope::orders:
            if (r.orders.empty()) throw Error("no order ids to delete");
            for (const auto& o : r.orders)
                if (o.empty()) throw Error("an empty order id cannot match any line");
            break;
        case DeletionScope::time_range:
            if (r.from_us >= r.to_us)
                throw Error("the time range is empty: 'from' must be before 'to'");
            break;
    }
}

size_t requested_count(const plugin::DeletionRequest& r) {
    switch (r.scope) {
        case DeletionScope::customers:
            return r.customers.size();
        case DeletionScope::orders:
            return r.orders.size();
        case DeletionScope::time_range:
            return 1;
    }
    return 0;
}

}  // namespace

plugin::DeletionResult delete_lines(Runtime& runtime, const std::string& tenant,
                                    plugin::DeletionRequest request) {
    if (!runtime.profile().tenant(tenant))
        throw Error("unknown tenant '" + tenant + "' (not in " + runtime.profile().file + ")");
    check_request(request);
    runtime.require_api("target", 1, "selective deletion");

    std::lock_guard<std::mutex> lock(runtime.pipeline().tenant_mutex(tenant));
    request.at_us = runtime.clock()();
    request.id = new_history_id(request.at_us);
    std::unique_ptr<plugin::TenantStore> store = runtime.target().open(tenant);

    // Counts only, never the ids themselves: the log is read by people who must not see them.
    plugin::LogFields fields = {{"tenant", tenant},
                                {"scope", plugin::to_string(request.scope)},
                                {"requested", std::to_string(requested_count(request))},
                                {"reason", request.reason},
                                {"operator", request.operator_name}};
    if (request.dry_run) {
        const plugin::DeletionResult result = store->delete_lines(request);
        fields["lines"] = std::to_string(result.lines);
        runtime.log().event(LogLevel::info, "delete.dry_run", fields);
        return result;
    }
    fields["deletion"] = request.id;
    // Entered in the archive first: if the deletion then fails it is cancelled there; if the
    // process dies between the two, a restore removes lines that were meant to go anyway.
    runtime.archive().append_history(tenant, deletion_entry_json(tenant, request));
    plugin::DeletionResult result;
    try {
        result = store->delete_lines(request);
    } catch (const std::exception& e) {
        try {
            runtime.archive().append_history(
                tenant, cancelled_entry_json(tenant, request.id, runtime.clock()(), e.what()));
        } catch (...) {
        }
        fields["reason_failed"] = e.what();
        runtime.log().event(LogLevel::error, "delete.failed", fields);
        throw Error(std::string("the deletion failed and nothing was removed: ") + e.what(), false);
    }
    // No evaluator may keep the deleted lines on disk (evaluator-columnar's snapshot files).
    notify_data_removed(runtime, tenant);
    // The member lists kept for `changes` (member_lists.hpp) must not keep what was deleted.
    // Only a deletion by customers names them; order and time-range deletions leave the lists
    // as they were: they hold customer ids only, no lines, and a customer who leaves a segment
    // through them is reported as removed by the next `changes`.
    if (request.scope == DeletionScope::customers) {
        try {
            MemberLists lists(runtime.profile().state_dir, runtime.clock());
            fields["member_lists"] =
                std::to_string(lists.remove_customers(tenant, request.customers));
        } catch (const std::exception& e) {
            fields["reason_failed"] = e.what();
            runtime.log().event(LogLevel::error, "delete.member_lists_failed", fields);
            throw Error(std::string("the lines were deleted, but the stored member lists still "
                                    "hold the customers: ") +
                            e.what() + "; run the same deletion again to remove them",
                        false);
        }
    }
    fields["lines"] = std::to_string(result.lines);
    fields["orders"] = std::to_string(result.orders);
    fields["customers"] = std::to_string(result.customers);
    fields["revenue"] = result.revenue;
    runtime.log().event(LogLevel::info, "delete.done", fields);
    return result;
}

}  // namespace sightline::core
