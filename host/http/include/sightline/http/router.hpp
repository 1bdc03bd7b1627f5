// Requests, responses and routing of the host's internal HTTP listener, independent of what is
// mounted on it (the Segmentation API, service plugins, later health and metrics endpoints).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sightline/core/profile.hpp"
#include "sightline/plugin/api.hpp"
#include "sightline/plugin/service.hpp"

namespace sightline::http {

struct Request {
    plugin::HttpRequest http;                   // method, decoded path, raw query, headers, body
    std::map<std::string, std::string> params;  // {x} captures of the matched route
    std::map<std::string, std::string> query;   // decoded query parameters (last one wins)
    const core::ApiToken* token = nullptr;      // the authenticated caller, when there is one
    // Mutual TLS (the reports listener): the verified client certificate's subject (RFC 2253)
    // and the trusted host it matched; both valid for the request's duration.
    std::string client_subject;
    const core::TrustedHost* trusted_host = nullptr;
    std::string route;  // the matched pattern (logged instead of the path)
    // Fields handlers add to the request's "api.request" log line (tenant, segment,
    // result_size...). Never customer ids, never secrets.
    plugin::LogFields log;

    const std::string* header(const std::string& lower_case_name) const;
    const std::string* param(const std::string& name) const;
};

// A response: a whole body, or (next_chunk set) a body produced piece by piece and sent with
// chunked transfer encoding, so a large result is never rendered in one string.
struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::map<std::string, std::string> headers;
    std::string body;
    // Appends the next piece to out; false when there is nothing more (out left empty).
    std::function<bool(std::string& out)> next_chunk;
};

struct ErrorDetail {
    std::string path;
    std::string code;
    std::string message;
};

// Thrown by handlers for a request the caller got wrong; becomes
// {"error": {"code", "message", "details"}} with the status.
class ApiError : public std::runtime_error {
public:
    ApiError(int status, std::string code, const std::string& message,
             std::vector<ErrorDetail> details = {})
        : std::runtime_error(message),
          status_(status),
          code_(std::move(code)),
          details_(std::move(details)) {}
    int status() const { return status_; }
    const std::string& code() const { return code_; }
    const std::vector<ErrorDetail>& details() const { return details_; }

private:
    int status_;
    std::string code_;
    std::vector<ErrorDetail> details_;
};

Response error_response(int status, const std::string& code, const std::string& message,
                        const std::vector<ErrorDetail>& details = {});
Response json_response(int status, std::string body);

using Handler = std::function<Response(Request&)>;

struct Route {
    std::string method;   // "GET", "PUT", ...
    std::string pattern;  // "/v1/tenants/{tenant}/segments/{id}"; {x} matches one path segment
    Handler handler;
    // Authenticated routes need a bearer token; a {tenant} capture must be one of its tenants.
    bool authenticated = true;
    // On a route that is not authenticated: a bearer token, when one is offered, is checked
    // (401 if wrong) and handed to the handler, which may then say more (/readyz's details).
    bool token_optional = false;
};

class Router {
public:
    void add(Route route);
    // Mounts a service plugin's routes (authenticated; the principal is the token's name).
    void mount(plugin::Service& service);

    struct Match {
        const Route* route = nullptr;  // null: no route for this method and path
        std::map<std::string, std::string> params;
        std::vector<std::string>
            allowed;  // methods of routes matching the path, when route is null
    };
    // segments: the path split at '/', each percent-decoded.
    Match match(const std::string& method, const std::vector<std::string>& segments) const;

private:
    struct Compiled {
        Route route;
        std::vector<std::string> parts;  // literal, or "{name}"
    };
    std::vector<Compiled> routes_;
};

// Splits a request target's path at '/' and percent-decodes each segment; nullopt when the
// encoding is malformed or the path is not absolute.
std::optional<std::vector<std::string>> split_path(const std::string& path);
// Percent-decoding (plus_is_space for query strings); nullopt on a malformed escape.
std::optional<std::string> percent_decode(const std::string& text, bool plus_is_space);
std::optional<std::map<std::string, std::string>> parse_query(const std::string& query);

}  // namespace sightline::http
