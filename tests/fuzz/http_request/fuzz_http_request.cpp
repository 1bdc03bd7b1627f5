// Fuzzes the HTTP request path of the internal listener: raw request bytes are parsed with the
// listener's own parser and limits and handled as a connection would handle them
// (http::Server::handle_bytes: authentication, routing, the handler, the log line), with every
// route `sightline serve` mounts there (the Segmentation API, health and metrics, the console)
// plus the report routes, over an in-process runtime: a temporary state folder, archive-fs,
// target-sqlite and evaluator-memory, tenants acme (a few loaded lines, one segment) and globex.
// No socket is opened.
//
// The plugins are loaded from an ordinary (uninstrumented) build: SIGHTLINE_FUZZ_PLUGIN_DIR in
// the environment, else the folder fuzz.cmake compiled in. The host's code is what is fuzzed.
//
// Seeds reach the handlers with fixed credentials: bearer tokens "fuzz-token-all" (every
// tenant) and "fuzz-token-acme" (acme only), and "@SESSION@" in the input, which the harness
// replaces with the cookie of a console session it logged in at start (and again whenever a
// logout ended it). Properties besides "no crash, no undefined behaviour, no leak": every
// answer has a status of 100-599, an error status (but /readyz's 503) has a JSON error body,
// and a streamed body ends.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_check.hpp"
#include "sightline/core/operators.hpp"
#include "sightline/core/pipeline.hpp"
#include "sightline/core/runtime.hpp"
#include "sightline/core/segment_service.hpp"
#include "sightline/core/sha256.hpp"
#include "sightline/ftps/password.hpp"
#include "sightline/http/console.hpp"
#include "sightline/http/health_api.hpp"
#include "sightline/http/report_api.hpp"
#include "sightline/http/segment_api.hpp"
#include "sightline/http/server.hpp"

namespace fs = std::filesystem;
namespace core = sightline::core;
namespace http = sightline::http;

namespace {

constexpr const char* kPeer = "127.0.0.1";
// The harness logs its own operator in from another address: the fuzzer's failed logins from
// kPeer make the per-address throttle answer 429 there, as it should.
constexpr const char* kHarnessPeer = "127.0.0.2";
constexpr const char* kSessionMarker = "@SESSION@";
// The harness's own operator: a name no seed or dictionary holds, so the fuzzer's failed logins
// never lock it out.
constexpr const char* kHarnessOperator = "harness-7f3a91c2";
constexpr const char* kHarnessPassword = "harness password 0123456789";

struct World {
    std::string dir;
    int64_t now_us = 1'764'547'200'000'000;  // 2025-12-01T00:00:00Z, then 10 ms per reading
    std::unique_ptr<core::Runtime> runtime;
    std::unique_ptr<core::OperatorRegistry> operators;
    std::unique_ptr<core::SegmentService> segments;
    std::unique_ptr<http::Server> server;
    std::string session;  // the console cookie's value
};

World* g_world = nullptr;

std::string plugin_dir() {
    if (const char* dir = std::getenv("SIGHTLINE_FUZZ_PLUGIN_DIR")) return dir;
    return SIGHTLINE_FUZZ_PLUGIN_DIR;
}

void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

std::string profile_text(const std::string& dir) {
    const std::string cheap = sightline::ftps::hash_password(kHarnessPassword, {10, 1, 1});
    const std::string olga = sightline::ftps::hash_password("olga password 1234", {10, 1, 1});
    return "version: 1\nstate_dir: " + dir + "/state\nlog: {level: error, file: " + dir +
           "/log.txt}\narchive: {plugin: archive-fs, config: {root: " + dir +
           "/archive}}\ntarget: {plugin: target-sqlite, config: {dir: " + dir +
           "/db}}\nevaluators:\n  - plugin: evaluator-memory\n"
           "tenants:\n  - {id: acme, active_days: 30, inactive_days: 200}\n  - {id: globex}\n"
           "api:\n  listen: [\"127.0.0.1:0\"]\n  tls: off\n  tokens:\n"
           "    - {name: fuzz-all, sha256: " +
           core::sha256_hex("fuzz-token-all") +
           ", tenants: [\"*\"]}\n"
           "    - {name: fuzz-acme, sha256: " +
           core::sha256_hex("fuzz-token-acme") +
           ", tenants: [acme]}\n"
           "  limits: {max_body_bytes: 65536}\n"
           "operators:\n  - {name: olga, password: \"" +
           olga + "\"}\n  - {name: " + kHarnessOperator + ", password: \"" + cheap + "\"}\n";
}

void load_tenant(World& w) {
    const std::string sales = w.dir + "/sales-1.csv";
    write(sales,
          "order,timestamp,customer,item,price,s_channel\n"
          "A-1,2025-10-01T10:00:00Z,1001,shoe,600,web\n"
          "A-1,2025-10-01T10:00:00Z,1001,sock,20.50,web\n"
          "A-2,2025-11-20T08:30:00Z,1002,hat,7,store\n"
          "A-3,2025-06-02T00:00:00Z,1003,shoe,-600,web\n");
    core::LoadRequest request;
    request.tenant = "acme";
    request.path = sales;
    const auto report = w.runtime->pipeline().process(request);
    FUZZ_CHECK(report.outcome == sightline::plugin::UploadOutcome::loaded);
    const std::string catalog = w.dir + "/catalog-1.csv";
    write(catalog, "item,category,title\nshoe,Shoes>Running,Runner\nsock,Shoes,Sock\n");
    request.path = catalog;
    w.runtime->pipeline().process(request);
}

std::optional<http::Response> send(const std::string& bytes, const char* peer = kPeer) {
    return g_world->server->handle_bytes(bytes, peer);
}

void log_in(World& w) {
    const std::string body = std::string(R"({"name":")") + kHarnessOperator + R"(","password":")" +
                             kHarnessPassword + "\"}";
    const auto r = send(
        "POST /console/login HTTP/1.1\r\nHost: fuzz\r\nX-Requested-With: f\r\n"
        "Content-Type: application/json\r\nContent-Length: " +
            std::to_string(body.size()) + "\r\n\r\n" + body,
        kHarnessPeer);
    FUZZ_CHECK(r && r->status == 200);
    const std::string& cookie = r->headers.at("Set-Cookie");
    const size_t start = cookie.find('=') + 1;
    w.session = cookie.substr(start, cookie.find(';') - start);
}

bool session_alive(World& w) {
    const auto r = send(
        "GET /console/api/session HTTP/1.1\r\nHost: fuzz\r\nCookie: "
        "sightline_console=" +
            w.session + "\r\n\r\n",
        kHarnessPeer);
    return r && r->status == 200;
}

void check(const http::Response& r) {
    FUZZ_CHECK(r.status >= 100 && r.status <= 599);
    // (/readyz answers 503 with its own report, not an error object.)
    if (r.status >= 400 && r.content_type == "application/json" && r.status != 503) {
        const auto body = nlohmann::json::parse(r.body, nullptr, false);
        FUZZ_CHECK(body.is_object() && body.contains("error"));
    }
    if (r.next_chunk) {
        std::string piece;
        size_t pieces = 0;
        try {
            while (r.next_chunk(piece)) {
                piece.clear();
                FUZZ_CHECK(++pieces < 1'000'000);
            }
        } catch (const std::exception&) {
            // The server cuts such a response short (Session::write_chunk): allowed.
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    if (!fs::exists(plugin_dir() + "/sightline-target-sqlite.so")) {
        std::fprintf(stderr,
                     "fuzz_http_request: no plugins in %s: build the main tree (build/test) or "
                     "set SIGHTLINE_FUZZ_PLUGIN_DIR to an uninstrumented build's plugin folder\n",
                     plugin_dir().c_str());
        std::exit(1);
    }
    auto* w = new World;
    g_world = w;
    const char* tmp = std::getenv("TMPDIR");
    w->dir = std::string(tmp ? tmp : "/tmp") + "/fuzz-http-" + std::to_string(::getpid());
    fs::remove_all(w->dir);
    fs::create_directories(w->dir);
    fs::permissions(w->dir, fs::perms::owner_all);
    write(w->dir + "/profile.yaml", profile_text(w->dir));
    w->runtime = std::make_unique<core::Runtime>(w->dir + "/profile.yaml", plugin_dir(),
                                                 [w] { return w->now_us += 10'000; });
    const auto& profile = w->runtime->profile();
    w->operators = std::make_unique<core::OperatorRegistry>(
        profile.state_dir, profile.operators,
        [](const std::string& password, const std::string& hash) {
            return sightline::ftps::verify_password(password, hash);
        });
    w->segments = std::make_unique<core::SegmentService>(*w->runtime);
    http::Router router;
    http::add_segment_routes(router, *w->segments, *w->runtime);
    http::HealthOptions health;
    health.min_free_bytes = 0;
    http::add_health_routes(router, *w->runtime, health);
    http::add_console_routes(router, *w->runtime, *w->operators, {false, {}});
    http::add_report_routes(router, *w->runtime);
    w->server = std::make_unique<http::Server>(*profile.api, std::move(router), w->runtime->log());
    load_tenant(*w);
    const std::string vip = R"({"id":"vip","name":"VIP","rule":{"revenue":{"min":100}}})";
    const auto put = send(
        "PUT /v1/tenants/acme/segments/vip HTTP/1.1\r\nHost: fuzz\r\n"
        "Authorization: Bearer fuzz-token-all\r\nContent-Length: " +
        std::to_string(vip.size()) + "\r\n\r\n" + vip);
    FUZZ_CHECK(put && (put->status == 200 || put->status == 201));
    log_in(*w);
    std::atexit([] {
        g_world->server.reset();
        g_world->segments.reset();
        g_world->runtime.reset();
        fs::remove_all(g_world->dir);
    });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    World& w = *g_world;
    std::string bytes(reinterpret_cast<const char*>(data), size);
    bool uses_session = false;
    for (size_t at = bytes.find(kSessionMarker); at != std::string::npos;
         at = bytes.find(kSessionMarker, at + w.session.size())) {
        bytes.replace(at, std::string(kSessionMarker).size(), w.session);
        uses_session = true;
    }
    const auto response = send(bytes);
    static const bool echo = std::getenv("FUZZ_HTTP_ECHO") != nullptr;  // to debug a seed
    if (echo) {
        std::fprintf(stderr, "%d %s\n", response ? response->status : 0,
                     response ? response->body.substr(0, 160).c_str() : "(closed)");
    }
    if (response) check(*response);
    // A logout (or anything else) that ended the harness's session: a new one for what follows.
    if (uses_session && !session_alive(w)) log_in(w);
    return 0;
}
