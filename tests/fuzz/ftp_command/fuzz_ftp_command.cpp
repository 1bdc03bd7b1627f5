// Fuzzes the FTPS control connection: the bytes a client sends, through the command reader
// (TELNET IAC stripping, line framing, the length limit) and a whole Session (every command,
// login, the state machine), on a MemoryWire instead of a socket (plugins/intake-ftps/src/
// channel.hpp). AUTH TLS "succeeds" at once, so the commands after it run as they would over
// TLS; data connections are out of reach (no socket: PASV/EPSV answer 425), which leaves
// STOR/RETR/LIST at their checks before the transfer.
//
// Input: byte 0 chooses how the bytes arrive (bit 0: a line at a time, as a client that waits
// for each reply; otherwise in chunks of 1 + byte0/2 bytes); byte 1 bit 0 chooses the peer (an
// IPv4 or an IPv6 address); the rest is the control stream. Accounts: alice/secret (tenant
// acme), relay/relay (the relay account, every tenant). Properties besides "no crash, no
// undefined behaviour, no leak, no hang": every reply line the server writes ends in CRLF,
// starts with a 3-digit code (or a space: FEAT's continuation lines), and the session ends.
#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "channel.hpp"
#include "fuzz_check.hpp"
#include "session.hpp"
#include "shared.hpp"
#include "sightline/ftps/password.hpp"
#include "sightline/ftps/tls_policy.hpp"

namespace fs = std::filesystem;
namespace sp = sightline::plugin;
using namespace sightline::intake_ftps;

namespace {

// Cheapest cost the verifier accepts, so a login costs milliseconds, not the production 16 MiB.
constexpr sightline::ftps::ScryptCost kCheap{10, 1, 1};

class QuietHost final : public sp::HostServices {
public:
    explicit QuietHost(std::string dir) : dir_(std::move(dir)) {}
    void log(sp::LogLevel, std::string_view, const sp::LogFields&) override {}
    std::string state_dir() override { return dir_; }
    int64_t now_us() override { return now_ += 1'000'000; }
    std::vector<std::string> tenants() override { return {"acme", "globex"}; }

private:
    std::string dir_;
    int64_t now_ = 1'700'000'000'000'000;
};

class NoSink final : public sp::UploadSink {
public:
    sp::UploadResult submit(const sp::Upload&) override { return {}; }
};

struct World {
    std::string root;
    std::unique_ptr<QuietHost> host;
    std::unique_ptr<LiveSettings> settings;
    std::unique_ptr<Landing> landing;
    std::unique_ptr<UploadQueue> queue;
    std::unique_ptr<PortPool> ports;
    boost::asio::io_context io;
    std::unique_ptr<Semaphore> verifications;
    std::atomic<bool> stopping{false};
    NoSink sink;
    std::string dummy_hash;
    Config config;
};

World* g_world = nullptr;

void write_file(const std::string& path, const std::string& text) {
    if (fs::exists(path)) return;
    std::ofstream(path, std::ios::binary) << text;
}

// The files DELE may have removed in an earlier run: each run starts from the same tree.
void restore_landing(const World& w) {
    const std::string acme = w.config.landing + "/acme";
    write_file(acme + "/sales-1.csv", "order,timestamp,customer,item,price\n");
    write_file(acme + "/full/full-1.csv", "order,timestamp,customer,item,price\n");
    write_file(acme + "/status/sales-1.csv.txt", "loaded: 1 row\n");
    write_file(w.config.landing + "/globex/other.csv", "x\n");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    auto* w = new World;
    const char* tmp = std::getenv("TMPDIR");
    w->root = std::string(tmp ? tmp : "/tmp") + "/fuzz-ftp-" + std::to_string(::getpid());
    fs::remove_all(w->root);
    fs::create_directories(w->root);
    Config& c = w->config;
    c.landing = w->root + "/landing";
    c.certificate = w->root + "/cert.pem";
    c.private_key = w->root + "/key.pem";
    c.advertised_address = "192.0.2.10";
    c.accounts = {{"alice", "acme", sightline::ftps::hash_password("secret", kCheap), false},
                  {"relay", "*", sightline::ftps::hash_password("relay", kCheap), false}};
    c.limits.login_delay_ms = 0;
    c.limits.ban_failures = 3;
    c.limits.login_timeout_seconds = 5;
    c.limits.idle_timeout_seconds = 5;
    sightline::ftps::ensure_self_signed(c.certificate, c.private_key, {"localhost"});
    w->host = std::make_unique<QuietHost>(w->root + "/state");
    const std::vector<std::string> tenants = {"acme", "globex"};
    w->settings = std::make_unique<LiveSettings>(
        std::make_shared<const Settings>(Settings{c, tenants, std::make_shared<TlsContext>(c)}));
    w->landing = std::make_unique<Landing>(c.landing);
    w->landing->prepare(tenants);
    w->queue = std::make_unique<UploadQueue>(w->config, *w->landing, *w->host);
    w->ports = std::make_unique<PortPool>(c.passive_first, c.passive_last);
    w->verifications = std::make_unique<Semaphore>(1);
    w->dummy_hash = sightline::ftps::hash_password("dummy", kCheap);
    g_world = w;
    std::atexit([] { fs::remove_all(g_world->root); });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 2) return 0;
    World& w = *g_world;
    restore_landing(w);
    MemoryWire wire;
    wire.lines = (data[0] & 1) != 0;
    wire.chunk = 1 + data[0] / 2;
    wire.input.assign(reinterpret_cast<const char*>(data) + 2, size - 2);
    const std::string peer = (data[1] & 1) != 0 ? "2001:db8:1:2::7" : "203.0.113.7";
    // Bans are per run, so that a run's outcome does not depend on the runs before it.
    BanList bans(w.config.limits.ban_failures, w.config.limits.ban_window_seconds * 1'000'000,
                 w.config.limits.ban_seconds * 1'000'000);
    Shared shared{*w.settings, *w.host,          *w.landing, *w.queue, *w.ports,    w.io,
                  bans,        *w.verifications, w.stopping, w.sink,   w.dummy_hash};
    {
        Session session(shared, wire, peer);
        session.run();
    }
    static const bool echo = std::getenv("FUZZ_FTP_ECHO") != nullptr;  // to debug a seed
    if (echo) std::fwrite(wire.output.data(), 1, wire.output.size(), stderr);
    // Every reply line is "ddd text\r\n", "ddd-text\r\n" or a " continuation\r\n" (FEAT).
    const std::string& out = wire.output;
    FUZZ_CHECK(out.size() >= 2 && out.compare(out.size() - 2, 2, "\r\n") == 0);
    size_t start = 0;
    while (start < out.size()) {
        const size_t end = out.find("\r\n", start);
        FUZZ_CHECK(end != std::string::npos);
        const std::string line = out.substr(start, end - start);
        FUZZ_CHECK(line.find_first_of("\r\n") == std::string::npos);
        const bool coded = line.size() >= 4 && std::isdigit(static_cast<unsigned char>(line[0])) &&
                           std::isdigit(static_cast<unsigned char>(line[1])) &&
                           std::isdigit(static_cast<unsigned char>(line[2])) &&
                           (line[3] == ' ' || line[3] == '-');
        FUZZ_CHECK(coded || (!line.empty() && line[0] == ' '));
        start = end + 2;
    }
    return 0;
}
