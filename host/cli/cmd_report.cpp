// sightline report NAME: one report of docs/reports.md for operators on the server, through the
// same code as GET /v1/tenants/{t}/reports/{name} (http::report_request and serve_report), so the
// dates mean the same and --json prints the endpoint's JSON byte for byte. Without --json, a
// table per report.
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

#include "operator_name.hpp"
#include "runtime_open.hpp"
#include "sightline/http/report_api.hpp"

namespace sightline::cli {

namespace {

using nlohmann::json;

// A plain text table: the first `left` columns left-aligned (names), the others right-aligned
// (numbers).
class Table {
public:
    explicit Table(std::vector<std::string> header, size_t left = 1) : left_(left) {
        rows_.push_back(std::move(header));
    }
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    void print(std::ostream& out) const {
        std::vector<size_t> width(rows_[0].size(), 0);
        for (const auto& row : rows_)
            for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
        for (const auto& row : rows_) {
            std::string line;
            for (size_t i = 0; i < row.size(); ++i) {
                const std::string pad(width[i] - row[i].size(), ' ');
                const std::string text = i < left_ ? row[i] + pad : pad + row[i];
                line += i == 0 ? text : "  " + text;
            }
            while (!line.empty() && line.back() == ' ') line.pop_back();
            out << "  " << line << "\n";
        }
    }

private:
    size_t left_;
    std::vector<std::vector<std::string>> rows_;
};

// A JSON value as table text: strings (money) as they are, numbers as integers.
std::string cell(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

void print_revenue(const json& r, std::ostream& out) {
    out << "Revenue by " << cell(r["granularity"]) << "\n";
    Table t({"period", "revenue", "orders", "order value", "aov"});
    for (const auto& p : r["periods"])
        t.add({cell(p["label"]), cell(p["revenue"]), cell(p["orders"]), cell(p["order_value"]),
               cell(p["aov"])});
    const json& s = r["totals"];
    t.add({"total", cell(s["revenue"]), cell(s["orders"]), cell(s["order_value"]), cell(s["aov"])});
    t.print(out);
}

void print_returns(const json& r, std::ostream& out) {
    out << "Returns by " << cell(r["granularity"]) << "\n";
    Table t({"period", "gross", "returned", "share", "lines", "return lines"});
    auto row = [&](const std::string& label, const json& p) {
        t.add({label, cell(p["gross"]), cell(p["returned"]), cell(p["share"]), cell(p["lines"]),
               cell(p["return_lines"])});
    };
    for (const auto& p : r["periods"]) row(cell(p["label"]), p);
    row("total", r["totals"]);
    t.print(out);
}

void print_lifecycle(const json& r, std::ostream& out) {
    static const char* const stages[] = {"none", "first_time_buyer", "active", "defecting",
                                         "inactive"};
    out << "Lifecycle (active_days " << cell(r["active_days"]) << ", inactive_days "
        << cell(r["inactive_days"]) << "): customers by stage at from (rows) and at to "
        << "(columns)\n";
    std::vector<std::string> header = {"from \\ to"};
    for (const char* s : stages) header.push_back(s);
    header.push_back("at from");
    Table t(header);
    for (const char* from : stages) {
        std::vector<std::string> row = {from};
        for (const char* to : stages) row.push_back(cell(r["transitions"][from][to]));
        row.push_back(r["at_from"].contains(from) ? cell(r["at_from"][from]) : "");
        t.add(row);
    }
    std::vector<std::string> at_to = {"at to"};
    for (const char* s : stages) at_to.push_back(r["at_to"].contains(s) ? cell(r["at_to"][s]) : "");
    at_to.push_back("");
    t.add(at_to);
    t.print(out);
}

void print_top(const json& r, const char* key, const char* title, std::ostream& out) {
    for (const char* list : {"by_revenue", "by_buyers"}) {
        out << title << (std::string(list) == "by_revenue" ? " by revenue" : " by buyers")
            << " (top " << cell(r["top"]) << ")\n";
        Table t({"#", key, "revenue", "buyers"}, 2);
        int rank = 0;
        for (const auto& row : r[list])
            t.add({std::to_string(++rank), cell(row[key]), cell(row["revenue"]),
                   cell(row["buyers"])});
        t.print(out);
    }
}

void print_one(const std::string& name, const json& r, std::ostream& out) {
    if (name == "revenue") print_revenue(r, out);
    if (name == "returns") print_returns(r, out);
    if (name == "lifecycle") print_lifecycle(r, out);
    if (name == "top-items") print_top(r, "item", "Top items", out);
    if (name == "top-categories") print_top(r, "category", "Top categories", out);
}

// The option a query parameter of the HTTP API comes from, for error messages.
std::string option_of(const std::string& parameter) {
    return parameter == "granularity" ? "--by" : "--" + parameter;
}

}  // namespace

int run_report(const std::vector<std::string>& args) {
    po::options_description options("Options");
    add_profile_options(options);
    add_json_option(options);
    options.add_options()("name", po::value<std::string>(),
                          "the report: revenue, lifecycle, top-items, top-categories, returns, "
                          "summary (docs/reports.md)")(
        "tenant,t", po::value<std::string>()->required(), "the tenant id")(
        "from", po::value<std::string>()->required(), "first day included, YYYY-MM-DD (UTC)")(
        "to", po::value<std::string>()->required(), "last day included, YYYY-MM-DD (UTC)")(
        "by", po::value<std::string>()->default_value("day"), "periods: day, week or month")(
        "top", po::value<std::string>()->default_value("10"), "rows in each top list, 1 to 100")(
        "evaluator", po::value<std::string>()->default_value(""),
        "an evaluator plugin id of the profile (default: the first that computes reports)");
    po::positional_options_description positional;
    positional.add("name", 1);
    po::variables_map vm;
    if (!parse(args,
               "sightline report NAME --profile P --tenant T --from DATE --to DATE "
               "[--by day|week|month] [--top N] [--evaluator ID] [--json]",
               options, positional, vm))
        return ok;
    if (!vm.count("name"))
        throw UsageError(
            "name the report: revenue, lifecycle, top-items, top-categories, "
            "returns or summary");
    const std::string name = vm["name"].as<std::string>();
    const auto& names = core::report::names();
    if (std::find(names.begin(), names.end(), name) == names.end())
        throw UsageError("unknown report '" + name +
                         "' (revenue, lifecycle, top-items, top-categories, returns, summary)");
    const std::string tenant = vm["tenant"].as<std::string>();

    auto runtime = open_runtime(vm);
    if (!runtime) return refused;
    const core::TenantProfile* profile = runtime->profile().tenant(tenant);
    if (!profile) {
        std::cerr << "sightline: report: the profile has no tenant '" << tenant << "'\n";
        return refused;
    }
    // The HTTP API's own parsing: the same dates, `to` included, the same limits.
    core::report::Request request;
    try {
        request = http::report_request({{"from", vm["from"].as<std::string>()},
                                        {"to", vm["to"].as<std::string>()},
                                        {"granularity", vm["by"].as<std::string>()},
                                        {"top", vm["top"].as<std::string>()}},
                                       *profile);
    } catch (const http::ApiError& e) {
        std::string where;
        for (const auto& d : e.details())
            where += (where.empty() ? "" : ", ") + option_of(d.path) + ": " + d.message;
        throw UsageError(std::string(e.what()) + (where.empty() ? "" : " (" + where + ")"));
    }

    json out;
    try {
        out = http::serve_report(*runtime, tenant, name, request, operator_name(), "cli",
                                 vm["evaluator"].as<std::string>());
    } catch (const http::ApiError& e) {
        std::cerr << "sightline: report: " << e.what() << "\n";
        return e.status() >= 500 && e.code() != "no_evaluator" ? internal : refused;
    } catch (const plugin::Error& e) {
        std::cerr << "sightline: report: " << e.what() << "\n";
        return e.transient() ? internal : refused;
    }
    if (vm.count("json")) {
        std::cout << out.dump() << "\n";
        return ok;
    }
    std::cout << name << " for " << tenant << ", " << vm["from"].as<std::string>() << " to "
              << vm["to"].as<std::string>() << " (included)\n";
    if (name != "summary") {
        print_one(name, out, std::cout);
        return ok;
    }
    for (const std::string& part : names) {
        if (part == "summary") continue;
        std::cout << "\n";
        print_one(part, out[part], std::cout);
    }
    return ok;
}

}  // namespace sightline::cli
