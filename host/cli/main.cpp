// sightline: the thin host. Reads a profile, loads plugins, wires them and runs jobs.
#include <sys/stat.h>

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "sightline/core/runtime.hpp"
#include "sightline/plugin/api.hpp"

namespace sightline::cli {

namespace {

const Command commands[] = {
    {"plugins list", "list the plugins found, with refused ones and why", run_plugins_list},
    {"plugins inspect", "show one plugin's descriptor and config schema", run_plugins_inspect},
    {"profile check", "validate a profile without starting anything", run_profile_check},
    {"load", "load sales or catalog files into a tenant's database", run_load},
    {"delete", "remove some of a tenant's lines (customers, orders or a time range)", run_delete},
    {"restore", "rebuild a tenant's database from the archive", run_restore},
    {"segment eval", "print the customers in a segment (stored or from a file)", run_segment_eval},
    {"segment check", "validate a segment definition file", run_segment_check},
    {"segment put", "save a segment definition (a new version)", run_segment_put},
    {"segment list", "list a tenant's segments", run_segment_list},
    {"segment show", "print a segment's definition (or an earlier version)", run_segment_show},
    {"segment versions", "list every version of a segment, with who and when",
     run_segment_versions},
    {"segment delete", "delete a segment (its versions are kept)", run_segment_delete},
    {"segment backup", "write segment definitions to the archive (dated, checksummed)",
     run_segment_backup},
    {"segment restore-definitions", "bring segment definitions back from the archive",
     run_segment_restore_definitions},
    {"report", "print a report (revenue, lifecycle, top items, ...) for a tenant and dates",
     run_report},
    {"tenant stats", "show a tenant's files, lines, customers and revenue", run_tenant_stats},
    {"jobs", "list recent jobs (loads, deletions, restores, segments, reports) and their results",
     run_jobs},
    {"tenant passwd", "make an FTPS account's password hash for the profile", run_tenant_passwd},
    {"generate", "write a deterministic synthetic dataset", run_generate},
    {"serve", "run the profile's intake, the load pipeline and the HTTP API", run_serve},
    {"api token", "make a new API token (printed once) and its profile entry", run_api_token},
    {"operator passwd", "make a console operator's password hash for the profile",
     run_operator_passwd},
    {"operator disable", "lock an operator out of the console at once", run_operator_disable},
    {"operator enable", "let a disabled operator in again", run_operator_enable},
    {"operator list", "the profile's operators and whether they are active", run_operator_list},
};

void print_overview(std::ostream& out) {
    out << "Usage: sightline <command> [options]\n\n"
           "Sightline takes in tenants' ecommerce sales files, archives them and loads each\n"
           "tenant's own database.\n\nCommands:\n";
    size_t width = 0;
    for (const auto& c : commands) width = std::max(width, std::string(c.name).size() + 2);
    for (const auto& c : commands) {
        std::string name = c.name;
        name.resize(width, ' ');
        out << "  " << name << c.summary << "\n";
    }
    out << "\nRun 'sightline <command> --help' for a command's options.\n"
           "Exit codes: 0 ok, 1 refused input, 2 usage error, 3 internal error.\n";
}

int dispatch(const std::vector<std::string>& argv) {
    if (argv.empty() || argv[0] == "--help" || argv[0] == "-h" || argv[0] == "help") {
        print_overview(std::cout);
        return argv.empty() ? usage : ok;
    }
    if (argv[0] == "--version") {
        std::cout << "sightline " << SIGHTLINE_VERSION << " (plugin API "
                  << SIGHTLINE_PLUGIN_API_MAJOR << "." << SIGHTLINE_PLUGIN_API_MINOR << ", ABI "
                  << SIGHTLINE_ABI_TAG << ")\n";
        return ok;
    }
    for (const auto& c : commands) {
        const std::string name = c.name;
        const auto space = name.find(' ');
        if (space == std::string::npos) {
            if (argv[0] == name) return c.run({argv.begin() + 1, argv.end()});
        } else if (argv[0] == name.substr(0, space)) {
            if (argv.size() >= 2 && argv[1] == name.substr(space + 1))
                return c.run({argv.begin() + 2, argv.end()});
        }
    }
    std::string group_hint;
    for (const auto& c : commands) {
        const std::string name = c.name;
        if (name.rfind(argv[0] + " ", 0) == 0)
            group_hint += std::string(group_hint.empty() ? "" : ", ") + name;
    }
    if (!group_hint.empty())
        throw UsageError("'" + argv[0] + "' needs a subcommand: " + group_hint);
    throw UsageError("unknown command '" + argv[0] + "'");
}

}  // namespace

}  // namespace sightline::cli

int main(int argc, char** argv) {
    using namespace sightline::cli;
    // Everything a command creates (state, databases, logs, keys, landing folders) is private
    // unless a profile says otherwise, however the caller's shell is set up: outside systemd
    // (UMask=0077) the usual umask 022 would leave state readable by every local account.
    ::umask(077);
    std::vector<std::string> args(argv + 1, argv + argc);
    try {
        return dispatch(args);
    } catch (const UsageError& e) {
        std::cerr << "sightline: " << e.what() << "\nTry 'sightline --help'.\n";
        return usage;
    } catch (const po::error& e) {
        std::cerr << "sightline: " << e.what() << "\nTry 'sightline --help'.\n";
        return usage;
    } catch (const sightline::core::StartupError& e) {
        // A profile that cannot do what was asked (an edge profile asked for data, ...).
        std::cerr << "sightline: " << e.what() << "\n";
        return refused;
    } catch (const std::exception& e) {
        std::cerr << "sightline: internal error: " << e.what() << "\n";
        return internal;
    }
}
