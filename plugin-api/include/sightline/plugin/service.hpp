// Kind "service": HTTP endpoints the host serves on its internal listener (Segmentation API,
// reports), so the host itself stays thin.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sightline/plugin/api.hpp"

namespace sightline::plugin {

struct HttpRequest {
    std::string method;                          // "GET", "PUT", ...
    std::string path;                            // decoded path, without the query
    std::string query;                           // raw query string, without '?'
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    std::string peer;       // client address
    std::string principal;  // authenticated caller (token name, certificate subject), or ""
};

struct HttpResponse {
    int status = 200;
    std::string content_type = "application/json";
    std::map<std::string, std::string> headers;
    std::string body;
};

struct Route {
    std::string method;
    std::string pattern;  // "/v1/tenants/{tenant}/segments/{id}"; {x} matches one segment
};

class Service : public Plugin {
public:
    virtual std::vector<Route> routes() const = 0;
    // params holds the {x} captures of the matched route. Called from several threads.
    virtual HttpResponse handle(const HttpRequest& request,
                                const std::map<std::string, std::string>& params) = 0;
};

}  // namespace sightline::plugin
