#include "conninfo.hpp"

#include <libpq-fe.h>

#include <map>
#include <memory>

#include "sightline/plugin/api.hpp"

namespace sightline::target_pg {

using sightline::plugin::Error;

namespace {

// key='value' with \ and ' escaped, as libpq's keyword/value syntax wants.
void append_pair(std::string& out, const std::string& key, const std::string& value) {
    if (!out.empty()) out.push_back(' ');
    out += key;
    out += "='";
    for (char c : value) {
        if (c == '\\' || c == '\'') out.push_back('\\');
        out.push_back(c);
    }
    out.push_back('\'');
}

}  // namespace

std::string connection_string(const std::string& admin_dsn, const Login* login,
                              int connect_timeout_s, const std::string& application_name) {
    char* error = nullptr;
    std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)> options(
        PQconninfoParse(admin_dsn.c_str(), &error), PQconninfoFree);
    if (!options) {
        std::string reason = error ? error : "out of memory";
        PQfreemem(error);
        while (!reason.empty() && reason.back() == '\n') reason.pop_back();
        // libpq's reasons name the offending keyword, never the value.
        throw Error("admin_dsn is not a valid libpq connection string: " + reason);
    }
    std::map<std::string, std::string> values;  // sorted: a stable, testable order
    for (const PQconninfoOption* o = options.get(); o->keyword; ++o) {
        if (o->val && *o->val) values[o->keyword] = o->val;
    }
    if (login) {
        values.erase("passfile");
        values["user"] = login->user;
        values["password"] = login->password;
        values["dbname"] = login->dbname;
    }
    if (!values.count("connect_timeout")) {
        values["connect_timeout"] = std::to_string(connect_timeout_s);
    }
    values["client_encoding"] = "UTF8";
    std::string session = "-c TimeZone=UTC -c DateStyle=ISO";
    if (values.count("options")) session = values["options"] + " " + session;
    values["options"] = session;
    if (!values.count("application_name")) values["application_name"] = application_name;

    std::string out;
    for (const auto& [key, value] : values) append_pair(out, key, value);
    return out;
}

}  // namespace sightline::target_pg
