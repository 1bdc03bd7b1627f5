// sightline delete --profile P --tenant T (--customers IDS | --orders IDS | --from TS --to TS)
//                  [--dry-run] --reason TEXT [--json]
#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>

#include "operator_name.hpp"
#include "runtime_open.hpp"
#include "sightline/core/lifecycle.hpp"
#include "sightline/core/timestamp.hpp"

namespace sightline::cli {

namespace {

// "a,b,c", or "@file" with one id per line (lists too long for a command line).
std::vector<std::string> read_list(const std::string& text, const char* what) {
    std::vector<std::string> out;
    auto add = [&](std::string item) {
        const auto first = item.find_first_not_of(" \t\r");
        const auto last = item.find_last_not_of(" \t\r");
        if (first == std::string::npos) return;
        out.push_back(item.substr(first, last - first + 1));
    };
    if (!text.empty() && text[0] == '@') {
        std::ifstream in(text.substr(1));
        if (!in)
            throw UsageError(std::string("cannot read the ") + what + " file " + text.substr(1));
        for (std::string line; std::getline(in, line);) add(line);
    } else {
        size_t start = 0;
        for (size_t comma; (comma = text.find(',', start)) != std::string::npos; start = comma + 1)
            add(text.substr(start, comma - start));
        add(text.substr(start));
    }
    if (out.empty()) throw UsageError(std::string("no ") + what + " given");
    return out;
}

uint64_t parse_customer(const std::string& text) {
    uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        throw UsageError("'" + text + "' is not a customer id (0 to 18446744073709551615)");
    return value;
}

int64_t parse_time(const po::variables_map& vm, const char* option) {
    std::string reason;
    auto t = core::parse_timestamp(vm[option].as<std::string>(), reason);
    if (!t) throw UsageError(std::string("--") + option + ": " + reason);
    return *t;
}

}  // namespace

int run_delete(const std::vector<std::string>& args) {
    po::options_description options("Options");
    add_profile_options(options);
    add_json_option(options);
    options.add_options()("tenant,t", po::value<std::string>()->required(), "the tenant id")(
        "customers", po::value<std::string>(),
        "customer ids, comma-separated, or @FILE with one per line")(
        "orders", po::value<std::string>(),
        "order ids (under any customer), comma-separated, or @FILE with one per line")(
        "from", po::value<std::string>(), "start of a time range (inclusive), e.g. 2026-01-01")(
        "to", po::value<std::string>(), "end of the time range (exclusive)")(
        "dry-run", "count what would be removed; change nothing")(
        "reason", po::value<std::string>()->required(), "why (kept in the tenant's history)");
    po::variables_map vm;
    if (!parse(args,
               "sightline delete --profile P --tenant T (--customers IDS | --orders IDS | --from "
               "TS --to TS) [--dry-run] --reason TEXT [--json]",
               options, {}, vm))
        return ok;
    const int scopes = static_cast<int>(vm.count("customers")) +
                       static_cast<int>(vm.count("orders")) +
                       static_cast<int>(vm.count("from") || vm.count("to"));
    if (scopes != 1) throw UsageError("give exactly one of --customers, --orders, --from/--to");

    plugin::DeletionRequest request;
    if (vm.count("customers")) {
        request.scope = plugin::DeletionScope::customers;
        for (const auto& id : read_list(vm["customers"].as<std::string>(), "customer ids"))
            request.customers.push_back(parse_customer(id));
    } else if (vm.count("orders")) {
        request.scope = plugin::DeletionScope::orders;
        request.orders = read_list(vm["orders"].as<std::string>(), "order ids");
    } else {
        if (!vm.count("from") || !vm.count("to"))
            throw UsageError("a time range needs both --from and --to");
        request.scope = plugin::DeletionScope::time_range;
        request.from_us = parse_time(vm, "from");
        request.to_us = parse_time(vm, "to");
    }
    request.dry_run = vm.count("dry-run") > 0;
    request.reason = vm["reason"].as<std::string>();
    request.operator_name = operator_name();

    auto runtime = open_runtime(vm);
    if (!runtime) return refused;
    const std::string tenant = vm["tenant"].as<std::string>();
    plugin::DeletionResult result;
    try {
        result = core::delete_lines(*runtime, tenant, request);
    } catch (const plugin::Error& e) {
        std::cerr << "sightline: delete: " << e.what() << "\n";
        return refused;
    }
    if (vm.count("json")) {
        std::cout << nlohmann::json({{"tenant", tenant},
                                     {"dry_run", request.dry_run},
                                     {"lines", result.lines},
                                     {"orders", result.orders},
                                     {"customers", result.customers},
                                     {"revenue", result.revenue}})
                         .dump(2)
                  << "\n";
        return ok;
    }
    std::cout << (request.dry_run ? "would delete " : "deleted ") << result.lines
              << (result.lines == 1 ? " line" : " lines") << " of tenant " << tenant << " ("
              << result.orders << " orders, " << result.customers << " customers, revenue "
              << result.revenue << ")"
              << (request.dry_run ? "; nothing was changed" : "; recorded in the history") << "\n";
    return ok;
}

}  // namespace sightline::cli
