// sightline segment eval|check|put|list|show|versions|delete|backup|restore-definitions
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "operator_name.hpp"
#include "runtime_open.hpp"
#include "sightline/core/raw_json.hpp"
#include "sightline/core/segment_backup.hpp"
#include "sightline/core/segment_service.hpp"
#include "sightline/core/timestamp.hpp"

namespace sightline::cli {

namespace {

using nlohmann::json;

// The definition text of --file (JSON or YAML; "-" reads standard input).
std::string read_definition_file(const std::string& path) {
    if (path == "-") return std::string(std::istreambuf_iterator<char>(std::cin), {});
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UsageError("cannot read the definition file " + path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

core::DefinitionFormat format_of(const std::string& path, const std::string& text) {
    const auto dot = path.rfind('.');
    const std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
    if (ext == "yaml" || ext == "yml") return core::DefinitionFormat::yaml;
    if (ext == "json") return core::DefinitionFormat::json;
    return core::guess_definition_format(text);
}

// Parses --file; on errors prints every one (file: path: message) and returns nullopt.
std::optional<core::ParsedDefinition> parse_file(const std::string& path, bool as_json) {
    const std::string text = read_definition_file(path);
    core::ParsedDefinition parsed = core::parse_definition(text, format_of(path, text));
    if (parsed.definition) return parsed;
    if (as_json) {
        json errors = json::array();
        for (const auto& e : parsed.errors)
            errors.push_back({{"path", e.path}, {"code", e.code}, {"message", e.message}});
        std::cout << json({{"file", path}, {"valid", false}, {"errors", errors}}).dump(2) << "\n";
    }
    for (const auto& e : parsed.errors) std::cerr << path << ": " << e.to_string() << "\n";
    return std::nullopt;
}

std::optional<int64_t> as_of_option(const po::variables_map& vm) {
    if (!vm.count("as-of")) return std::nullopt;
    std::string reason;
    auto t = core::parse_timestamp(vm["as-of"].as<std::string>(), reason);
    if (!t) throw UsageError("--as-of: " + reason);
    return t;
}

json ids_json(const std::vector<uint64_t>& ids) {
    json out = json::array();
    for (uint64_t id : ids) out.push_back(std::to_string(id));  // beyond JSON's exact numbers
    return out;
}

// raws collects the definitions' text; splice_raw_json puts it back after dump().
json version_json(const core::SegmentVersion& v, std::vector<std::string>* raws) {
    json j = {{"id", v.id},
              {"version", v.version},
              {"author", v.author},
              {"at", core::format_timestamp(v.at_us)},
              {"deleted", v.deleted}};
    // The stored text, not a re-encoding: its numbers stay exactly as written.
    if (raws && !v.deleted) {
        j["definition"] = core::raw_json_placeholder(raws->size());
        raws->push_back(v.definition_json);
    }
    return j;
}

void add_tenant_option(po::options_description& options) {
    options.add_options()("tenant,t", po::value<std::string>()->required(), "the tenant id");
}

// Runs fn with the runtime and the segment service; maps errors to exit codes.
template <typename F>
int with_service(const po::variables_map& vm, const char* command, F&& fn) {
    auto runtime = open_runtime(vm);
    if (!runtime) return refused;
    try {
        core::SegmentService service(*runtime);
        return fn(*runtime, service);
    } catch (const core::SegmentError& e) {
        std::cerr << "sightline: segment " << command << ": " << e.what() << "\n";
        for (const auto& d : e.details()) std::cerr << "  " << d.to_string() << "\n";
        return refused;
    } catch (const plugin::Error& e) {
        std::cerr << "sightline: segment " << command << ": " << e.what() << "\n";
        return e.transient() ? internal : refused;
    }
}

}  // namespace

int run_segment_eval(const std::vector<std::string>& args) {
    po::options_description options("Options");
    add_profile_options(options);
    add_json_option(options);
    add_tenant_option(options);
    options.add_options()("id", po::value<std::string>(), "a stored segment's id")(
        "file,f", po::value<std::string>(), "a definition file (JSON or YAML; - for stdin)")(
        "as-of", po::value<std::string>(),
        "evaluation instant, e.g. 2026-11-01T00:00:00Z (default: now, to the second)")(
        "count", "print only the number of matching customers")(
        "evaluator", po::value<std::string>()->default_value(""),
        "an evaluator plugin id of the profile (default: the first that supports the target)");
    po::variables_map vm;
    if (!parse(args,
               "sightline segment eval --profile P --tenant T (--id ID | --file DEF) "
               "[--as-of TS] [--count] [--json]",
               options, {}, vm))
        return ok;
    if (vm.count("id") == vm.count("file")) throw UsageError("give exactly one of --id, --file");
    const auto as_of = as_of_option(vm);
    const bool as_json = vm.count("json") > 0;
    std::optional<core::ParsedDefinition> parsed;
    if (vm.count("file")) {
        parsed = parse_file(vm["file"].as<std::string>(), as_json);
        if (!parsed) return refused;
    }
    const std::string tenant = vm["tenant"].as<std::string>();
    const std::string evaluator = vm["evaluator"].as<std::string>();
    return with_service(vm, "eval", [&](core::Runtime&, core::SegmentService& service) {
        const core::Evaluation result =
            parsed ? service.evaluate(tenant, *parsed->definition, parsed->canonical_json, as_of,
                                      evaluator)
                   : service.evaluate_stored(tenant, vm["id"].as<std::string>(), as_of, evaluator);
        const std::string id = parsed ? parsed->definition->id : vm["id"].as<std::string>();
        if (as_json) {
            json out = {{"tenant", tenant},
                        {"segment", id},
                        {"as_of", core::format_timestamp(result.as_of_us)},
                        {"evaluator", result.evaluator},
                        {"count", result.customers.size()},
                        {"warnings", result.warnings},
                        {"duration_ms", result.duration_us / 1000.0}};
            if (!vm.count("count")) out["customers"] = ids_json(result.customers);
            std::cout << out.dump(2) << "\n";
        } else {
            for (const auto& w : result.warnings) std::cerr << "sightline: warning: " << w << "\n";
            if (vm.count("count")) {
                std::cout << result.customers.size() << "\n";
            } else {
                std::string out;
                out.reserve(result.customers.size() * 12);
                for (uint64_t c : result.customers) {
                    out += std::to_string(c);
                    out += '\n';
                }
                std::cout << out;
            }
        }
        return static_cast<int>(ok);
    });
}

int run_segment_check(const std::vector<std::string>& args) {
    po::options_description options("Options");
    add_json_option(options);
    options.add_options()("file,f", po::value<std::string>()->required(),
                          "a definition file (JSON or YAML; - for stdin)");
    po::variables_map vm;
    po::positional_options_description positional;
    positional.add("file", 1);
    if (!parse(args, "sightline segment check [--json] FILE", options, positional, vm)) return ok;
    const std::string path = vm["file"].as<std::string>();
    const auto parsed = parse_file(path, vm.count("json") > 0);
    if (!parsed) return refused;
    if (vm.count("json"))
        std::cout << core::splice_raw_json(json({{"file", path},
                                                 {"valid", true},
                                                 {"id", parsed->definition->id},
                                                 {"canonical", core::raw_json_placeholder(0)}})
                                               .dump(2),
                                           {parsed->canonical_json})
                  << "\n";
    else
        std::cout << path << ": segment '" << parsed->definition->id << "' is valid\n";
    return ok;
}

int run_segment_put(const std::vector<std::string>& args) {
    po::options_description options("Options");
    add_profile_options(options);
    add_json_option(options);
    add_tenant_option(options);
    options.add_options()("file,f", po::value<std::string>()->required(),
                          "the definition (JSON or YAML; - for stdin)")(
        "reason", po::value<std::string>()->required(), "why (kept with the version)");
    po::variables_map vm;
    if (!parse(args, "sightline segment put --profile P --tenant T --file DEF --reason TEXT",
               options, {}, vm))
        return ok;
    const auto parsed = parse_file(vm["file"].as<std::string>(), vm.count("json") > 0);
    if (!parsed) return refused;
    const std::string tenant = vm["tenant"].as<std::string>();
    return with_service(vm, "put", [&](core::Runtime& runtime, core::SegmentService& service) {
        service.check_tenant(tenant);
        bool created = false;
        const auto v = service.store().put(tenant, parsed->definition->id, parsed->canonical_json,
                                           operator_name(), runtime.clock()(), &created);
        runtime.log().event(plugin::LogLevel::info, "segment.changed",
                            {{"tenant", tenant},
                             {"segment", v.id},
                             {"version", std::to_string(v.version)},
                             {"operator", v.author},
                             {"reason", vm["reason"].as<std::string>()},
                             {"change", created ? "saved" : "unchanged"}});
        if (vm.count("json"))
            std::cout << json({{"tenant", tenant},
                               {"created", created},
                               {"segment", version_json(v, nullptr)}})
                             .dump(2)
                      << "\n";
        else
            std::cout << "segment '" << v.id << "' of tenant " << tenant
                      << (created ? " saved as version " : " unchanged at version ") << v.version
                      << "\n";
        return static_cast<int>(ok);
    });
}

int run_segment_list(const std::vector<std::string>& args) {
    po::options_description options("Options");
    add_profile_options(options);
    add_json_option(options);
    add_tenant_option(options);
    po::variables_map vm;
    if (!parse(args, "sightline segment list --profile P --tenant T [--json]", options, {}, vm))
        return ok;
    const std::string tenant = vm["tenant"].as<std::string>();
    return with_service(vm, "list", [&](core::Runtime&, core::SegmentService& service) {
        service.check_tenant(tenant);
        const auto all = service.store().list(tenant);
        if (vm.count("json")) {
            json out = json::array();
            for (const auto& v : all) {
                json j = version_json(v, nullptr);
                j["name"] = json::parse(v.definition_json).value("name", "");
                out.push_back(j);
            }
            std::cout << json({{"tenant", tenant}, {"segments", out}}).dump(2) << "\n";
        } else {
            for (const auto& v : all)
                std::cout << v.id << "\tversion " << v.version << "\t"
                          << core::format_timestamp(v.at_us) << "\t" << v.author << "\t"
                          << json::parse(v.definition_json).value("name", "") << "\n";
        }
        return static_cast<int>(ok);
    });
}

int run_segment_show(const std::vector<std::string>& args) {
    po::options_description options("Options");
    add_profile_options(options);
    add_json_option(options);
    add_tenant_option(options);
    options.add_options()("id", po::value<std::string>()->required(), "the segment id")(
        "version", po::value<int64_t>(), "an earlier version (default: the current one)");
    po::variables_map vm;
    if (!parse(args, "sightline segment show --profile P --tenant T --id ID [--version N]", options,
               {}, vm))
        return ok;
    const std::string tenant = vm["tenant"].as<std::string>();
    const std::string id = vm["id"].as<std::string>();
    return with_service(vm, "show", [&](core::Runtime&, core::SegmentService& service) {
        service.check_tenant(tenant);
        std::optional<core::SegmentVersion> found;
        if (vm.count("version")) {
            for (const auto& v : service.store().versions(tenant, id))
                if (v.version == vm["version"].as<int64_t>()) found = v;
        } else {
            found = service.store().get(tenant, id);
        }
        if (!found)
            throw core::SegmentError(
                "unknown_segment",
                "tenant '" + tenant + "' has no such segment or version '" + id + "'");
        std::vector<std::string> raws;
        if (vm.count("json"))
            std::cout << core::splice_raw_json(version_json(*found, &raws).dump(2), raws) << "\n";
        else
            std::cout << (found->deleted ? "(deleted)" : found->definition_json) << "\n";
        return static_cast<int>(ok);
    });
}

int run_segment_versions(const std::vector<std::string>& args) {
    po::options_description options("Options");
    add_profile_options(options);
    add_json_option(options);
    add_tenant_option(options);
    options.add_options()("id", po::value<std::string>()->required(), "the segment id");
    po::variables_map vm;
    if (!parse(args, "sightline segment versions --profile P --tenant T --id ID [--json]", options,
               {}, vm))
        return ok;
    const std::string tenant = vm["tenant"].as<std::string>();
    const std::string id = vm["id"].as<std::string>();
    return with_service(vm, "versions", [&](core::Runtime&, core::SegmentService& service) {
        service.check_tenant(tenant);
        const auto all = service.store().versions(tenant, id);
        if (all.empty())
            throw core::SegmentError("unknown_segment",
                                     "tenant '" + tenant + "' never had a segment '" + id + "'");
        if (vm.count("json")) {
            json out = json::array();
            std::vector<std::string> raws;
            for (const auto& v : all) out.push_back(version_json(v, &raws));
            std::cout << core::splice_raw_json(
                             json({{"tenant", tenant}, {"id", id}, {"versions", out}}).dump(2),
                             raws)
                      << "\n";
        } else {
            for (const auto& v : all)
                std::cout << "version " << v.version << "\t" << core::format_timestamp(v.at_us)
                          << "\t" << v.author << (v.deleted ? "\tdeleted" : "") << "\n";
        }
        return static_cast<int>(ok);
    });
}

int run_segment_delete(const std::vector<std::string>& args) {
    po::options_description options("Options");
    add_profile_options(options);
    add_tenant_option(options);
    options.add_options()("id", po::value<std::string>()->required(), "the segment id")(
        "reason", po::value<std::string>()->required(), "why (kept in the log)");
    po::variables_map vm;
    if (!parse(args, "sightline segment delete --profile P --tenant T --id ID --reason TEXT",
               options, {}, vm))
        return ok;
    const std::string tenant = vm["tenant"].as<std::string>();
    const std::string id = vm["id"].as<std::string>();
    return with_service(vm, "delete", [&](core::Runtime& runtime, core::SegmentService& service) {
        service.check_tenant(tenant);
        if (!service.store().remove(tenant, id, operator_name(), runtime.clock()()))
            throw core::SegmentError("unknown_segment",
                                     "tenant '" + tenant + "' has no segment '" + id + "'");
        runtime.log().event(plugin::LogLevel::info, "segment.changed",
                            {{"tenant", tenant},
                             {"segment", id},
                             {"operator", operator_name()},
                             {"reason", vm["reason"].as<std::string>()},
                             {"change", "deleted"}});
        std::cout << "segment '" << id << "' of tenant " << tenant
                  << " deleted (its versions are kept)\n";
        return static_cast<int>(ok);
    });
}

int run_segment_backup(const std::vector<std::string>& args) {
    po::options_description options("Options");
    add_profile_options(options);
    add_json_option(options);
    options.add_options()("tenant,t", po::value<std::string>(), "one tenant (default: every one)");
    po::variables_map vm;
    if (!parse(args, "sightline segment backup --profile P [--tenant T] [--json]", options, {}, vm))
        return ok;
    return with_service(vm, "backup", [&](core::Runtime& runtime, core::SegmentService& service) {
        std::vector<std::string> tenants;
        if (vm.count("tenant")) {
            service.check_tenant(vm["tenant"].as<std::string>());
            tenants.push_back(vm["tenant"].as<std::string>());
        } else {
            for (const auto& t : runtime.profile().tenants) tenants.push_back(t.id);
        }
        json out = json::array();
        for (const auto& tenant : tenants) {
            const auto r = core::backup_segments(runtime, service.store(), tenant);
            out.push_back({{"tenant", r.tenant},
                           {"name", r.name},
                           {"sha256", r.sha256},
                           {"versions", r.versions},
                           {"written", r.written}});
            if (!vm.count("json"))
                std::cout << tenant << ": " << r.name << " " << r.sha256 << " (" << r.versions
                          << " versions" << (r.written ? "" : ", unchanged since today's backup")
                          << ")\n";
        }
        if (vm.count("json")) std::cout << json({{"backups", out}}).dump(2) << "\n";
        return static_cast<int>(ok);
    });
}

int run_segment_restore_definitions(const std::vector<std::string>& args) {
    po::options_description options("Options");
    add_profile_options(options);
    add_json_option(options);
    add_tenant_option(options);
    options.add_options()("from", po::value<std::string>()->default_value(""),
                          "a backup's date (YYYY-MM-DD) or file name (default: the newest)");
    po::variables_map vm;
    if (!parse(args, "sightline segment restore-definitions --profile P --tenant T [--from DATE]",
               options, {}, vm))
        return ok;
    const std::string tenant = vm["tenant"].as<std::string>();
    return with_service(
        vm, "restore-definitions", [&](core::Runtime& runtime, core::SegmentService& service) {
            service.check_tenant(tenant);
            const auto r = core::restore_segment_definitions(runtime, service.store(), tenant,
                                                             vm["from"].as<std::string>());
            if (!r)
                throw core::SegmentError("no_backup",
                                         "the archive holds no segment backup of '" + tenant + "'" +
                                             (vm["from"].as<std::string>().empty()
                                                  ? std::string()
                                                  : " named " + vm["from"].as<std::string>()));
            if (vm.count("json"))
                std::cout << json({{"tenant", tenant},
                                   {"backup", r->name},
                                   {"sha256", r->sha256},
                                   {"versions", r->versions_in_backup},
                                   {"imported", r->imported}})
                                 .dump(2)
                          << "\n";
            else
                std::cout << tenant << ": " << r->imported << " of " << r->versions_in_backup
                          << " versions imported from " << r->name << "\n";
            return static_cast<int>(ok);
        });
}

}  // namespace sightline::cli
