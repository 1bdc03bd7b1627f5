#include "sightline/http/segment_api.hpp"

#include <algorithm>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "sightline/core/json_input.hpp"
#include "sightline/core/member_lists.hpp"
#include "sightline/core/timestamp.hpp"

namespace sightline::http {

using nlohmann::json;

namespace {

std::string quote(const std::string& s) { return json(s).dump(); }

// Stored definitions are canonical JSON with numbers exactly as written: they are copied into
// responses as text, never re-encoded through a JSON library (which would make them doubles).
std::string segment_json(const core::SegmentVersion& v, const std::string& extra = "") {
    return "{\"id\":" + quote(v.id) + ",\"version\":" + std::to_string(v.version) +
           ",\"author\":" + quote(v.author) +
           ",\"updated_at\":" + quote(core::format_timestamp(v.at_us)) +
           ",\"definition\":" + v.definition_json + extra + "}";
}

std::string version_json(const core::SegmentVersion& v) {
    return "{\"version\":" + std::to_string(v.version) + ",\"author\":" + quote(v.author) +
           ",\"at\":" + quote(core::format_timestamp(v.at_us)) +
           ",\"deleted\":" + (v.deleted ? "true" : "false") + ",\"definition\":" +
           (v.deleted || v.definition_json.empty() ? "null" : v.definition_json) + "}";
}

[[noreturn]] void rethrow(const core::SegmentError& e) {
    const std::string& code = e.code();
    int status = 400;
    if (code == "unknown_tenant" || code == "unknown_segment") status = 404;
    if (code == "no_evaluator") status = 503;
    std::vector<ErrorDetail> details;
    for (const auto& d : e.details()) details.push_back({d.path, d.code, d.message});
    throw ApiError(status, code, e.what(), details);
}

Handler guarded(Handler handler) {
    return [handler = std::move(handler)](Request& request) {
        try {
            return handler(request);
        } catch (const core::SegmentError& e) {
            rethrow(e);
        }
    };
}

const std::string& segment_id(Request& request) {
    static const std::regex pattern("[a-z0-9][a-z0-9-]{0,63}");
    const std::string& id = request.params.at("id");
    if (!std::regex_match(id, pattern))
        throw ApiError(400, "invalid_segment_id", "a segment id is [a-z0-9][a-z0-9-]{0,63}");
    request.log["segment"] = id;
    return id;
}

void only_query(const Request& request, const std::set<std::string>& allowed) {
    std::vector<ErrorDetail> details;
    for (const auto& [key, value] : request.query)
        if (!allowed.count(key))
            details.push_back({key, "unknown_parameter", "unknown query parameter"});
    if (!details.empty()) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        throw ApiError(
            400, "unknown_parameter",
            "unknown query parameter; allowed here: " + (list.empty() ? std::string("none") : list),
            details);
    }
}

std::optional<uint64_t> parse_u64(const std::string& text) {
    if (text.empty() || text.size() > 20 ||
        text.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    uint64_t v = 0;
    for (char c : text) {
        const uint64_t d = static_cast<uint64_t>(c - '0');
        if (v > (UINT64_MAX - d) / 10) return std::nullopt;
        v = v * 10 + d;
    }
    return v;
}

std::optional<int64_t> parse_as_of(const std::string& text, const std::string& where) {
    std::string reason;
    auto t = core::parse_timestamp(text, reason);
    if (!t)
        throw ApiError(400, "invalid_as_of",
                       "as_of must be a timestamp like 2026-11-29T13:55:00Z: " + reason,
                       {{where, "invalid_as_of", reason}});
    return t;
}

std::optional<int64_t> query_as_of(const Request& request) {
    auto it = request.query.find("as_of");
    if (it == request.query.end()) return std::nullopt;
    return parse_as_of(it->second, "as_of");
}

// The media type of a body, lower-case, without parameters; "" when there is no Content-Type.
std::string media_type(const Request& request) {
    const std::string* header = request.header("content-type");
    if (!header) return "";
    std::string type = header->substr(0, header->find(';'));
    type.erase(
        std::remove_if(type.begin(), type.end(), [](char c) { return c == ' ' || c == '\t'; }),
        type.end());
    for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return type;
}

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

// A JSON object body with only the allowed keys; an empty body is {} when optional.
json object_body(const Request& request, const std::set<std::string>& allowed, bool optional) {
    const std::string& body = request.http.body;
    if (blank(body)) {
        if (optional) return json::object();
        throw ApiError(400, "missing_body", "this request needs a JSON body");
    }
    const std::string type = media_type(request);
    if (!type.empty() && type != "application/json")
        throw ApiError(415, "unsupported_media_type", "the body must be application/json");
    json j;
    try {
        j = core::parse_json_input(body);
    } catch (const core::JsonInputError& e) {
        throw ApiError(400, "malformed_json",
                       "the body is not valid JSON: " + std::string(e.what()));
    }
    if (!j.is_object()) throw ApiError(400, "malformed_json", "the body must be a JSON object");
    std::vector<ErrorDetail> details;
    for (const auto& item : j.items())
        if (!allowed.count(item.key()))
            details.push_back({item.key(), "unknown_field", "unknown field"});
    if (!details.empty()) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        throw ApiError(400, "unknown_field", "unknown field in the body; allowed: " + list,
                       details);
    }
    return j;
}

std::string string_field(const json& body, const std::string& key) {
    if (!body.contains(key) || body[key].is_null()) return "";
    if (!body[key].is_string())
        throw ApiError(400, "invalid_field", key + " must be a string",
                       {{key, "wrong_type", "expected a string"}});
    return body[key].get<std::string>();
}

// Where the value of each top-level member of a JSON object lies in its text (the text is known
// to be valid JSON): lets a nested definition reach the definition parser byte for byte.
std::map<std::string, std::pair<size_t, size_t>> member_spans(const std::string& text) {
    std::map<std::string, std::pair<size_t, size_t>> spans;
    size_t i = 0;
    auto ws = [&] {
        while (i < text.size() &&
               (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
            ++i;
    };
    auto skip_string = [&] {
        ++i;  // opening quote
        while (i < text.size() && text[i] != '"') i += text[i] == '\\' ? 2 : 1;
        ++i;
    };
    ws();
    if (i >= text.size() || text[i] != '{') return spans;
    ++i;
    while (true) {
        ws();
        if (i >= text.size() || text[i] != '"') break;
        const size_t key_start = i;
        skip_string();
        const std::string key =
            json::parse(text.substr(key_start, i - key_start)).get<std::string>();
        ws();
        ++i;  // ':'
        ws();
        const size_t start = i;
        int depth = 0;
        while (i < text.size()) {
            const char c = text[i];
            if (c == '"') {
                skip_string();
                if (depth == 0) break;
                continue;
            }
            if (c == '{' || c == '[') ++depth;
            if (c == '}' || c == ']') {
                if (depth == 0) break;
                --depth;
                ++i;
                if (depth == 0) break;
                continue;
            }
            if (depth == 0 && (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r')) break;
            ++i;
        }
        spans[key] = {start, i};
        ws();
        if (i < text.size() && text[i] == ',') {
            ++i;
            continue;
        }
        break;
    }
    return spans;
}

struct Page {
    std::optional<size_t> limit;
    std::optional<uint64_t> after;
};

// ?limit=: 1 to kMaxPageSize, or nothing when absent.
std::optional<size_t> query_limit(const Request& request) {
    auto it = request.query.find("limit");
    if (it == request.query.end()) return std::nullopt;
    auto v = parse_u64(it->second);
    if (!v || *v < 1 || *v > kMaxPageSize)
        throw ApiError(
            400, "invalid_paging",
            "limit must be an integer from 1 to " + std::to_string(kMaxPageSize),
            {{"limit", "out_of_range", "expected 1 to " + std::to_string(kMaxPageSize)}});
    return static_cast<size_t>(*v);
}

Page read_page(const Request& request) {
    Page page;
    page.limit = query_limit(request);
    if (auto it = request.query.find("after"); it != request.query.end()) {
        auto v = parse_u64(it->second);
        if (!v)
            throw ApiError(400, "invalid_paging",
                           "after must be a customer id (decimal digits) from a previous page",
                           {{"after", "wrong_type", "expected decimal digits"}});
        page.after = *v;
    }
    return page;
}

std::string warnings_json(const std::vector<std::string>& warnings) {
    return json(warnings).dump();
}

// A JSON object whose last member is a list: `head` (up to and including the '['), items
// [first, last) each written by render(i, out), then "]}". Small lists go in one body, large ones
// are streamed in chunks (render keeps alive whatever it reads).
Response list_response(std::string head, size_t first, size_t last,
                       std::function<void(size_t, std::string&)> render) {
    Response r;
    if (last - first <= kStreamThreshold) {
        r.body = std::move(head);
        r.body.reserve(r.body.size() + (last - first) * 12 + 2);
        for (size_t i = first; i < last; ++i) {
            if (i != first) r.body += ',';
            render(i, r.body);
        }
        r.body += "]}";
        return r;
    }
    struct State {
        std::string head;
        size_t next;
        bool head_sent = false;
        bool done = false;
    };
    auto state = std::make_shared<State>(State{std::move(head), first});
    r.next_chunk = [state, first, last, render = std::move(render)](std::string& out) {
        if (state->done) return false;
        if (!state->head_sent) {
            out = state->head;
            state->head_sent = true;
        }
        constexpr size_t kItemsPerChunk = 4096;
        const size_t stop = std::min(last, state->next + kItemsPerChunk);
        for (size_t i = state->next; i < stop; ++i) {
            if (i != first) out += ',';
            render(i, out);
        }
        state->next = stop;
        if (stop == last) {
            out += "]}";
            state->done = true;
        }
        return true;
    };
    return r;
}

// The evaluation as JSON, ids last: small results in one body, large ones streamed in chunks.
// token: the stored segment's evaluation token (member_lists.hpp); previews have none.
Response evaluation_response(core::Evaluation evaluation, const std::string& segment,
                             const Page& page, Request& request,
                             const std::optional<std::string>& token = std::nullopt) {
    auto data = std::make_shared<core::Evaluation>(std::move(evaluation));
    const auto& ids = data->customers;
    auto begin = ids.begin();
    if (page.after) begin = std::upper_bound(ids.begin(), ids.end(), *page.after);
    auto end = ids.end();
    if (page.limit && static_cast<size_t>(end - begin) > *page.limit) end = begin + *page.limit;
    const bool more = end != ids.end() && end != begin;
    const size_t first = static_cast<size_t>(begin - ids.begin());
    const size_t last = static_cast<size_t>(end - ids.begin());
    request.log["count"] = std::to_string(ids.size());
    request.log["result_size"] = std::to_string(last - first);
    request.log["cached"] = data->cached ? "true" : "false";
    std::string head = "{\"segment\":" + quote(segment) +
                       ",\"as_of\":" + quote(core::format_timestamp(data->as_of_us)) +
                       ",\"evaluator\":" + quote(data->evaluator) +
                       ",\"cached\":" + (data->cached ? "true" : "false") +
                       ",\"count\":" + std::to_string(ids.size()) +
                       (token ? ",\"token\":" + quote(*token) : std::string()) +
                       ",\"warnings\":" + warnings_json(data->warnings) + ",\"next_after\":" +
                       (more ? quote(std::to_string(*(end - 1))) : std::string("null")) +
                       ",\"ids\":[";
    return list_response(std::move(head), first, last, [data](size_t i, std::string& out) {
        out += '"';
        out += std::to_string(data->customers[i]);
        out += '"';
    });
}

core::MemberListSettings member_list_settings(const core::Runtime& runtime) {
    const auto& api = runtime.profile().api;
    return api ? api->member_lists : core::MemberListSettings{};
}

// `changes` (docs/api.md): the ids added to and removed from a stored segment since the
// evaluation a token names.

// The most ids a changes page holds by default, and at most (?limit=).
constexpr size_t kDefaultChangesPage = 10'000;

[[noreturn]] void token_gone(core::MemberLists::Found found, const std::string& what) {
    if (found == core::MemberLists::Found::foreign)
        throw ApiError(410, "token_foreign",
                       what +
                           " names an evaluation of another segment or tenant: evaluate this "
                           "segment in full (POST .../evaluate) and use the token it returns");
    throw ApiError(410, "token_expired",
                   what +
                       " is unknown or expired (only the last evaluations of a segment are "
                       "kept, for a few days: api.member_lists): evaluate the segment in full "
                       "(POST .../evaluate) and use the token it returns");
}

const std::string& since_token(const Request& request) {
    auto it = request.query.find("since");
    if (it == request.query.end())
        throw ApiError(400, "invalid_token",
                       "since (the token of an earlier evaluation) is required",
                       {{"since", "missing", "required"}});
    if (!core::is_member_list_token(it->second))
        throw ApiError(400, "invalid_token",
                       "since must be a token from an evaluate or changes answer (32 hex digits)",
                       {{"since", "malformed", "expected 32 lower-case hexadecimal digits"}});
    return it->second;
}

// A changes cursor: the answer's token and the last id of the page before, "<token>.<id>".
struct ChangesCursor {
    std::string token;
    uint64_t after = 0;
};

std::string cursor_text(const std::string& token, uint64_t after) {
    return token + "." + std::to_string(after);
}

std::optional<ChangesCursor> read_cursor(const Request& request) {
    auto it = request.query.find("cursor");
    if (it == request.query.end()) return std::nullopt;
    const std::string& text = it->second;
    const size_t dot = text.find('.');
    ChangesCursor cursor;
    std::optional<uint64_t> after;
    if (dot != std::string::npos) {
        cursor.token = text.substr(0, dot);
        after = parse_u64(text.substr(dot + 1));
    }
    if (!after || !core::is_member_list_token(cursor.token))
        throw ApiError(400, "invalid_cursor",
                       "cursor must be the next_cursor of a previous changes page",
                       {{"cursor", "malformed", "expected a next_cursor value"}});
    cursor.after = *after;
    return cursor;
}

// One page of the diff between the two lists of `now` (its own and the one it was diffed from).
Response changes_response(core::StoredMembers now, std::vector<std::string> warnings,
                          const std::string& segment, std::optional<uint64_t> after, size_t limit,
                          Request& request) {
    auto changes = std::make_shared<std::vector<core::MemberChange>>(
        core::diff_members(now.since_customers, now.customers));
    size_t added = 0;
    for (const auto& c : *changes) added += c.added ? 1 : 0;
    const size_t removed = changes->size() - added;
    size_t first = 0;
    if (after)
        first = static_cast<size_t>(
            std::upper_bound(changes->begin(), changes->end(), *after,
                             [](uint64_t id, const core::MemberChange& c) { return id < c.id; }) -
            changes->begin());
    const size_t last = std::min(changes->size(), first + limit);
    if (now.since_scrubbed)
        warnings.push_back(
            "customers were deleted from this tenant since the earlier evaluation (a selective "
            "deletion): they are not listed as removed");
    request.log["count"] = std::to_string(now.customers.size());
    request.log["result_size"] = std::to_string(last - first);
    std::string head = "{\"segment\":" + quote(segment) +
                       ",\"since_as_of\":" + quote(core::format_timestamp(now.since_as_of_us)) +
                       ",\"as_of\":" + quote(core::format_timestamp(now.as_of_us)) +
                       ",\"evaluator\":" + quote(now.evaluator) + ",\"token\":" + quote(now.token) +
                       ",\"count\":" + std::to_string(now.customers.size()) +
                       ",\"added\":" + std::to_string(added) +
                       ",\"removed\":" + std::to_string(removed) +
                       ",\"warnings\":" + warnings_json(warnings) + ",\"next_cursor\":" +
                       (last < changes->size() && last > first
                            ? quote(cursor_text(now.token, (*changes)[last - 1].id))
                            : std::string("null")) +
                       ",\"changes\":[";
    return list_response(std::move(head), first, last, [changes](size_t i, std::string& out) {
        const core::MemberChange& c = (*changes)[i];
        out += "{\"id\":\"";
        out += std::to_string(c.id);
        out += c.added ? "\",\"change\":\"added\"}" : "\",\"change\":\"removed\"}";
    });
}

}  // namespace

void add_segment_routes(Router& router, core::SegmentService& service, core::Runtime& runtime) {
    const std::string base = "/v1/tenants/{tenant}/segments";
    core::SegmentService* svc = &service;
    core::Runtime* rt = &runtime;
    // Opened on first use; shared by every request of this listener.
    auto lists = std::make_shared<core::MemberLists>(runtime.profile().state_dir, runtime.clock());

    router.add({"GET", base, guarded([svc](Request& request) {
                    only_query(request, {});
                    const std::string& tenant = request.params.at("tenant");
                    svc->check_tenant(tenant);
                    std::string body = "{\"segments\":[";
                    const auto list = svc->store().list(tenant);
                    for (size_t i = 0; i < list.size(); ++i)
                        body += (i ? "," : "") + segment_json(list[i]);
                    body += "]}";
                    request.log["result_size"] = std::to_string(list.size());
                    return json_response(200, std::move(body));
                })});

    router.add({"GET", base + "/{id}", guarded([svc](Request& request) {
                    only_query(request, {});
                    const std::string& tenant = request.params.at("tenant");
                    svc->check_tenant(tenant);
                    const std::string& id = segment_id(request);
                    auto v = svc->store().get(tenant, id);
                    if (!v) throw ApiError(404, "unknown_segment", "no segment '" + id + "'");
                    return json_response(200, segment_json(*v));
                })});

    router.add(
        {"PUT", base + "/{id}", guarded([svc, rt](Request& request) {
             only_query(request, {});
             const std::string& tenant = request.params.at("tenant");
             svc->check_tenant(tenant);
             const std::string& id = segment_id(request);
             const std::string type = media_type(request);
             core::DefinitionFormat format = core::DefinitionFormat::json;
             if (type == "application/yaml" || type == "application/x-yaml" || type == "text/yaml")
                 format = core::DefinitionFormat::yaml;
             else if (!type.empty() && type != "application/json")
                 throw ApiError(415, "unsupported_media_type",
                                "a definition is application/json or application/yaml");
             if (blank(request.http.body))
                 throw ApiError(400, "missing_body", "PUT needs the segment definition");
             const auto parsed = core::parse_definition(request.http.body, format);
             if (!parsed.errors.empty()) {
                 std::vector<ErrorDetail> details;
                 for (const auto& e : parsed.errors) details.push_back({e.path, e.code, e.message});
                 throw ApiError(400, "invalid_definition",
                                "the definition has " + std::to_string(details.size()) +
                                    (details.size() == 1 ? " error" : " errors"),
                                details);
             }
             if (parsed.definition->id != id)
                 throw ApiError(400, "id_mismatch",
                                "the definition's id '" + parsed.definition->id +
                                    "' differs from the id in the path '" + id + "'",
                                {{"id", "id_mismatch", "must equal the id in the path"}});
             auto& store = svc->store();
             const bool existed = store.get(tenant, id).has_value();
             bool changed = false;
             const auto v =
                 store.put(tenant, id, parsed.canonical_json,
                           request.token ? request.token->name : "api", rt->clock()(), &changed);
             request.log["version"] = std::to_string(v.version);
             // A calling system acts through its token: the audit log names it.
             rt->log().event(plugin::LogLevel::info, "segment.changed",
                             {{"tenant", tenant},
                              {"segment", v.id},
                              {"version", std::to_string(v.version)},
                              {"operator", v.author},
                              {"via", "api"},
                              {"change", changed ? "saved" : "unchanged"}});
             Response r = json_response(
                 existed ? 200 : 201,
                 segment_json(v, std::string(",\"changed\":") + (changed ? "true" : "false")));
             if (!existed) r.headers["Location"] = "/v1/tenants/" + tenant + "/segments/" + id;
             return r;
         })});

    router.add({"DELETE", base + "/{id}", guarded([svc, rt](Request& request) {
                    only_query(request, {});
                    const std::string& tenant = request.params.at("tenant");
                    svc->check_tenant(tenant);
                    const std::string& id = segment_id(request);
                    if (!svc->store().remove(
                            tenant, id, request.token ? request.token->name : "api", rt->clock()()))
                        throw ApiError(404, "unknown_segment", "no segment '" + id + "'");
                    rt->log().event(plugin::LogLevel::info, "segment.changed",
                                    {{"tenant", tenant},
                                     {"segment", id},
                                     {"operator", request.token ? request.token->name : "api"},
                                     {"via", "api"},
                                     {"change", "deleted"}});
                    Response r;
                    r.status = 204;
                    r.content_type.clear();
                    return r;
                })});

    router.add({"GET", base + "/{id}/versions", guarded([svc](Request& request) {
                    only_query(request, {});
                    const std::string& tenant = request.params.at("tenant");
                    svc->check_tenant(tenant);
                    const std::string& id = segment_id(request);
                    const auto versions = svc->store().versions(tenant, id);
                    if (versions.empty())
                        throw ApiError(404, "unknown_segment", "no segment '" + id + "'");
                    std::string body = "{\"id\":" + quote(id) + ",\"versions\":[";
                    for (size_t i = 0; i < versions.size(); ++i)
                        body += (i ? "," : "") + version_json(versions[i]);
                    body += "]}";
                    request.log["result_size"] = std::to_string(versions.size());
                    return json_response(200, std::move(body));
                })});

    router.add({"POST", base + "/{id}/evaluate", guarded([svc, rt, lists](Request& request) {
                    only_query(request, {"limit", "after"});
                    const std::string& tenant = request.params.at("tenant");
                    svc->check_tenant(tenant);
                    const std::string& id = segment_id(request);
                    const Page page = read_page(request);
                    const json body = object_body(request, {"as_of", "evaluator"}, true);
                    std::optional<int64_t> as_of;
                    if (const std::string t = string_field(body, "as_of"); !t.empty())
                        as_of = parse_as_of(t, "as_of");
                    core::Evaluation ev =
                        svc->evaluate_stored(tenant, id, as_of, string_field(body, "evaluator"));
                    // A later page (after=) of the same evaluation keeps the first page's token.
                    const auto settings = member_list_settings(*rt);
                    const std::string token =
                        page.after ? lists->record_or_reuse(tenant, id, ev.customers, ev.as_of_us,
                                                            ev.evaluator, settings)
                                   : lists->record(tenant, id, ev.customers, ev.as_of_us,
                                                   ev.evaluator, settings);
                    return evaluation_response(std::move(ev), id, page, request, token);
                })});

    router.add({"GET", base + "/{id}/changes", guarded([svc, rt, lists](Request& request) {
                    only_query(request, {"since", "as_of", "cursor", "limit"});
                    const std::string& tenant = request.params.at("tenant");
                    svc->check_tenant(tenant);
                    const std::string& id = segment_id(request);
                    const std::string& since = since_token(request);
                    const std::optional<ChangesCursor> cursor = read_cursor(request);
                    const size_t limit = query_limit(request).value_or(kDefaultChangesPage);
                    const auto settings = member_list_settings(*rt);
                    // An unknown segment is 404 before any token is looked at.
                    if (!svc->store().get(tenant, id))
                        throw ApiError(404, "unknown_segment", "no segment '" + id + "'");
                    if (cursor) {
                        // A later page: the same pair of evaluations as the first (as_of is
                        // ignored).
                        auto found = lists->find(tenant, id, cursor->token, settings);
                        if (found.found != core::MemberLists::Found::yes)
                            token_gone(found.found, "the cursor's evaluation");
                        if (found.members->since_token != since)
                            throw ApiError(
                                400, "invalid_cursor",
                                "this cursor pages the changes since another token: pass the "
                                "same since as on the first page",
                                {{"cursor", "other_since", "from another changes answer"}});
                        return changes_response(std::move(*found.members), {}, id, cursor->after,
                                                limit, request);
                    }
                    const std::optional<int64_t> as_of = query_as_of(request);
                    auto before = lists->find(tenant, id, since, settings);
                    if (before.found != core::MemberLists::Found::yes)
                        token_gone(before.found, "since");
                    core::Evaluation ev = svc->evaluate_stored(tenant, id, as_of);
                    request.log["cached"] = ev.cached ? "true" : "false";
                    core::StoredMembers now;
                    now.token = lists->record(tenant, id, ev.customers, ev.as_of_us, ev.evaluator,
                                              settings, &*before.members);
                    now.tenant = tenant;
                    now.segment = id;
                    now.as_of_us = ev.as_of_us;
                    now.evaluator = ev.evaluator;
                    now.customers = std::move(ev.customers);
                    now.since_token = since;
                    now.since_as_of_us = before.members->as_of_us;
                    now.since_scrubbed = before.members->scrubbed;
                    now.since_customers = std::move(before.members->customers);
                    return changes_response(std::move(now), std::move(ev.warnings), id,
                                            std::nullopt, limit, request);
                })});

    router.add({"GET", base + "/{id}/count", guarded([svc](Request& request) {
                    only_query(request, {"as_of"});
                    const std::string& tenant = request.params.at("tenant");
                    svc->check_tenant(tenant);
                    const std::string& id = segment_id(request);
                    const core::Evaluation ev =
                        svc->evaluate_stored(tenant, id, query_as_of(request));
                    request.log["count"] = std::to_string(ev.customers.size());
                    request.log["cached"] = ev.cached ? "true" : "false";
                    return json_response(
                        200, "{\"segment\":" + quote(id) +
                                 ",\"as_of\":" + quote(core::format_timestamp(ev.as_of_us)) +
                                 ",\"evaluator\":" + quote(ev.evaluator) +
                                 ",\"cached\":" + (ev.cached ? "true" : "false") +
                                 ",\"count\":" + std::to_string(ev.customers.size()) +
                                 ",\"warnings\":" + warnings_json(ev.warnings) + "}");
                })});

    router.add({"GET", base + "/{id}/members/{customer}", guarded([svc](Request& request) {
                    only_query(request, {"as_of"});
                    const std::string& tenant = request.params.at("tenant");
                    svc->check_tenant(tenant);
                    const std::string& id = segment_id(request);
                    // The customer id is never logged nor echoed.
                    const auto customer = parse_u64(request.params.at("customer"));
                    if (!customer)
                        throw ApiError(400, "invalid_customer",
                                       "a customer id is an unsigned 64-bit integer in decimal");
                    const core::Evaluation ev =
                        svc->evaluate_stored(tenant, id, query_as_of(request));
                    const bool member =
                        std::binary_search(ev.customers.begin(), ev.customers.end(), *customer);
                    request.log["cached"] = ev.cached ? "true" : "false";
                    return json_response(
                        200, "{\"segment\":" + quote(id) +
                                 ",\"as_of\":" + quote(core::format_timestamp(ev.as_of_us)) +
                                 ",\"evaluator\":" + quote(ev.evaluator) +
                                 ",\"cached\":" + (ev.cached ? "true" : "false") +
                                 ",\"member\":" + (member ? "true" : "false") + "}");
                })});

    router.add(
        {"POST", base + ":preview", guarded([svc](Request& request) {
             only_query(request, {"limit", "after"});
             const std::string& tenant = request.params.at("tenant");
             svc->check_tenant(tenant);
             const Page page = read_page(request);
             const json body = object_body(request, {"definition", "as_of", "evaluator"}, false);
             if (!body.contains("definition") || !body["definition"].is_object())
                 throw ApiError(
                     400, "invalid_field", "definition (a segment definition object) is required",
                     {{"definition", body.contains("definition") ? "wrong_type" : "missing",
                       "expected a segment definition object"}});
             std::optional<int64_t> as_of;
             if (const std::string t = string_field(body, "as_of"); !t.empty())
                 as_of = parse_as_of(t, "as_of");
             const auto spans = member_spans(request.http.body);
             const auto span = spans.at("definition");
             const auto parsed = core::parse_definition(
                 std::string_view(request.http.body).substr(span.first, span.second - span.first),
                 core::DefinitionFormat::json);
             if (!parsed.errors.empty()) {
                 std::vector<ErrorDetail> details;
                 for (const auto& e : parsed.errors)
                     details.push_back({e.path.empty() ? "definition" : "definition." + e.path,
                                        e.code, e.message});
                 throw ApiError(400, "invalid_definition",
                                "the definition has " + std::to_string(details.size()) +
                                    (details.size() == 1 ? " error" : " errors"),
                                details);
             }
             request.log["segment"] = parsed.definition->id;
             core::Evaluation ev = svc->evaluate(tenant, *parsed.definition, parsed.canonical_json,
                                                 as_of, string_field(body, "evaluator"));
             return evaluation_response(std::move(ev), parsed.definition->id, page, request);
         })});
}

}  // namespace sightline::http
