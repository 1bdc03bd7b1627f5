// Shared pieces of the sightline command line: exit codes, option parsing, output helpers.
#pragma once

#include <boost/program_options.hpp>
#include <iostream>
#include <string>
#include <vector>

namespace sightline::cli {

namespace po = boost::program_options;

// Exit codes, the same for every command.
enum Exit : int { ok = 0, refused = 1, usage = 2, internal = 3 };

// Thrown for a usage error; main prints it with a hint to --help and exits 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Command {
    const char* name;     // "load", "plugins list", ...
    const char* summary;  // one line for the overview
    int (*run)(const std::vector<std::string>& args);
};

// Parses args against options (and positionals); prints help and returns false on --help.
bool parse(const std::vector<std::string>& args, const std::string& usage_line,
           po::options_description& options, const po::positional_options_description& positional,
           po::variables_map& vm);

// Options most commands share.
void add_plugin_path_option(po::options_description& options);
void add_json_option(po::options_description& options);

int run_plugins_list(const std::vector<std::string>& args);
int run_plugins_inspect(const std::vector<std::string>& args);
int run_profile_check(const std::vector<std::string>& args);
int run_load(const std::vector<std::string>& args);
int run_tenant_stats(const std::vector<std::string>& args);
int run_tenant_passwd(const std::vector<std::string>& args);
int run_generate(const std::vector<std::string>& args);
int run_serve(const std::vector<std::string>& args);
int run_delete(const std::vector<std::string>& args);
int run_restore(const std::vector<std::string>& args);
int run_segment_eval(const std::vector<std::string>& args);
int run_segment_check(const std::vector<std::string>& args);
int run_segment_put(const std::vector<std::string>& args);
int run_segment_list(const std::vector<std::string>& args);
int run_segment_show(const std::vector<std::string>& args);
int run_segment_versions(const std::vector<std::string>& args);
int run_segment_delete(const std::vector<std::string>& args);
int run_segment_backup(const std::vector<std::string>& args);
int run_segment_restore_definitions(const std::vector<std::string>& args);
int run_report(const std::vector<std::string>& args);
int run_api_token(const std::vector<std::string>& args);
int run_jobs(const std::vector<std::string>& args);
int run_operator_passwd(const std::vector<std::string>& args);
int run_operator_disable(const std::vector<std::string>& args);
int run_operator_enable(const std::vector<std::string>& args);
int run_operator_list(const std::vector<std::string>& args);

}  // namespace sightline::cli
