#include "sightline/http/router.hpp"

#include <nlohmann/json.hpp>

namespace sightline::http {

const std::string* Request::header(const std::string& lower_case_name) const {
    auto it = http.headers.find(lower_case_name);
    return it == http.headers.end() ? nullptr : &it->second;
}

const std::string* Request::param(const std::string& name) const {
    auto it = params.find(name);
    return it == params.end() ? nullptr : &it->second;
}

Response json_response(int status, std::string body) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

Response error_response(int status, const std::string& code, const std::string& message,
                        const std::vector<ErrorDetail>& details) {
    nlohmann::json error = {{"code", code}, {"message", message}};
    if (!details.empty()) {
        error["details"] = nlohmann::json::array();
        for (const auto& d : details)
            error["details"].push_back(
                {{"path", d.path}, {"code", d.code}, {"message", d.message}});
    }
    // Messages quote what the caller sent (a method, a key, a parser's complaint), which may be
    // invalid UTF-8: the strict dump() threw from inside the server's own error handling, which
    // ended the process (a one-request crash found by fuzz target http_request). Invalid bytes
    // become U+FFFD instead.
    return json_response(status, nlohmann::json{{"error", error}}.dump(
                                     -1, ' ', false, nlohmann::json::error_handler_t::replace));
}

namespace {

std::vector<std::string> pattern_parts(const std::string& pattern) {
    std::vector<std::string> parts;
    size_t start = 1;
    while (start <= pattern.size()) {
        size_t end = pattern.find('/', start);
        if (end == std::string::npos) end = pattern.size();
        parts.push_back(pattern.substr(start, end - start));
        start = end + 1;
    }
    return parts;
}

bool is_capture(const std::string& part) {
    return part.size() > 2 && part.front() == '{' && part.back() == '}';
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

void Router::add(Route route) {
    if (route.pattern.empty() || route.pattern[0] != '/')
        throw std::invalid_argument("route pattern must start with '/': " + route.pattern);
    Compiled c;
    c.parts = pattern_parts(route.pattern);
    c.route = std::move(route);
    routes_.push_back(std::move(c));
}

void Router::mount(plugin::Service& service) {
    for (const auto& r : service.routes()) {
        plugin::Service* s = &service;
        add(Route{r.method, r.pattern, [s](Request& request) {
                      request.http.principal = request.token ? request.token->name : "";
                      plugin::HttpResponse out = s->handle(request.http, request.params);
                      Response response;
                      response.status = out.status;
                      response.content_type = out.content_type;
                      response.headers = out.headers;
                      response.body = std::move(out.body);
                      return response;
                  }});
    }
}

Router::Match Router::match(const std::string& method,
                            const std::vector<std::string>& segments) const {
    Match result;
    for (const auto& c : routes_) {
        if (c.parts.size() != segments.size()) continue;
        std::map<std::string, std::string> params;
        bool fits = true;
        for (size_t i = 0; fits && i < segments.size(); ++i) {
            if (is_capture(c.parts[i])) {
                if (segments[i].empty()) fits = false;
                params[c.parts[i].substr(1, c.parts[i].size() - 2)] = segments[i];
            } else {
                fits = c.parts[i] == segments[i];
            }
        }
        if (!fits) continue;
        if (c.route.method == method) {
            result.route = &c.route;
            result.params = std::move(params);
            result.allowed.clear();
            return result;
        }
        result.allowed.push_back(c.route.method);
    }
    return result;
}

std::optional<std::string> percent_decode(const std::string& text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size()) return std::nullopt;
            const int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::optional<std::vector<std::string>> split_path(const std::string& path) {
    if (path.empty() || path[0] != '/') return std::nullopt;
    std::vector<std::string> segments;
    size_t start = 1;
    while (start <= path.size()) {
        size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        auto decoded = percent_decode(path.substr(start, end - start), false);
        if (!decoded) return std::nullopt;
        segments.push_back(std::move(*decoded));
        start = end + 1;
    }
    return segments;
}

std::optional<std::map<std::string, std::string>> parse_query(const std::string& query) {
    std::map<std::string, std::string> out;
    size_t start = 0;
    while (start < query.size()) {
        size_t end = query.find('&', start);
        if (end == std::string::npos) end = query.size();
        const std::string pair = query.substr(start, end - start);
        start = end + 1;
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        auto key = percent_decode(pair.substr(0, eq), true);
        auto value = percent_decode(eq == std::string::npos ? "" : pair.substr(eq + 1), true);
        if (!key || !value) return std::nullopt;
        out[*key] = *value;
    }
    return out;
}

}  // namespace sightline::http
