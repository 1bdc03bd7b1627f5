// archive-plain: an example archive plugin. Keeps each tenant's uploads as plain files named by
// their SHA-256 under <root>/<tenant>/, and the tenant's history as <root>/<tenant>/history.jsonl.
// Deliberately small: the bundled archive-fs adds compression, fsync of folders, and more checks.
#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sightline/plugin/archive.hpp>

namespace {

namespace fs = std::filesystem;
using namespace sightline::plugin;

// The config arrives as JSON text already validated against the schema below, defaults applied.
// An example keeps parsing trivial: the one key is a string.
std::string root_from(const std::string& config_json) {
    const std::string key = "\"root\":\"";
    const auto at = config_json.find(key);
    if (at == std::string::npos) throw Error("archive-plain: no root in config");
    return config_json.substr(at + key.size(),
                              config_json.find('"', at + key.size()) - at - key.size());
}

class PlainWriter : public ObjectWriter {
public:
    explicit PlainWriter(fs::path dir)
        : dir_(std::move(dir)), temp_(dir_ / ".incoming"), out_(temp_, std::ios::binary) {
        if (!out_) throw Error("archive-plain: cannot write in " + dir_.string());
    }
    ~PlainWriter() override {
        if (!committed_) fs::remove(temp_);
    }
    void write(const char* data, size_t size) override {
        out_.write(data, static_cast<std::streamsize>(size));
    }
    void commit(const std::string& sha256) override {
        out_.close();
        if (!out_) throw Error("archive-plain: write failed");
        fs::rename(temp_, dir_ / sha256);
        committed_ = true;
    }

private:
    fs::path dir_, temp_;
    std::ofstream out_;
    bool committed_ = false;
};

class PlainReader : public ObjectReader {
public:
    PlainReader(const fs::path& file, std::string sha256)
        : in_(file, std::ios::binary), sha256_(std::move(sha256)) {
        if (!in_) throw Error("archive-plain: no object " + sha256_);
        ctx_ = EVP_MD_CTX_new();
        EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr);
    }
    ~PlainReader() override { EVP_MD_CTX_free(ctx_); }
    size_t read(char* buffer, size_t size) override {
        in_.read(buffer, static_cast<std::streamsize>(size));
        const auto n = static_cast<size_t>(in_.gcount());
        EVP_DigestUpdate(ctx_, buffer, n);
        if (n == 0) verify();
        return n;
    }

private:
    void verify() {
        unsigned char digest[32];
        unsigned int length = 0;
        EVP_DigestFinal_ex(ctx_, digest, &length);
        char hex[65];
        for (unsigned i = 0; i < 32; ++i) std::snprintf(hex + 2 * i, 3, "%02x", digest[i]);
        if (sha256_ != hex) throw Error("archive-plain: object " + sha256_ + " is corrupt");
    }
    std::ifstream in_;
    std::string sha256_;
    EVP_MD_CTX* ctx_;
};

class PlainArchive : public Archive {
public:
    explicit PlainArchive(fs::path root) : root_(std::move(root)) {}

    std::unique_ptr<ObjectWriter> create(const std::string& tenant) override {
        return std::make_unique<PlainWriter>(folder(tenant));
    }
    std::unique_ptr<ObjectReader> open(const std::string& tenant,
                                       const std::string& sha256) override {
        return std::make_unique<PlainReader>(folder(tenant) / sha256, sha256);
    }
    bool contains(const std::string& tenant, const std::string& sha256) override {
        return fs::exists(folder(tenant) / sha256);
    }
    void append_history(const std::string& tenant, const std::string& json) override {
        std::ofstream(folder(tenant) / "history.jsonl", std::ios::app) << json << "\n";
    }
    std::vector<std::string> history(const std::string& tenant) override {
        std::vector<std::string> lines;
        std::ifstream in(folder(tenant) / "history.jsonl");
        for (std::string line; std::getline(in, line);) lines.push_back(line);
        return lines;
    }

    std::vector<std::string> list(const std::string& tenant) override {
        std::vector<std::string> shas;
        const fs::path dir = root_ / tenant;  // not folder(): listing must not create it
        if (!fs::is_directory(dir)) return shas;
        for (const auto& entry : fs::directory_iterator(dir)) {
            // Objects are named by their checksum; ".incoming" and the history are not objects.
            const std::string name = entry.path().filename().string();
            if (entry.is_regular_file() && is_sha256(name)) shas.push_back(name);
        }
        std::sort(shas.begin(), shas.end());
        return shas;
    }

private:
    static bool is_sha256(const std::string& name) {
        return name.size() == 64 && name.find_first_not_of("0123456789abcdef") == std::string::npos;
    }
    fs::path folder(const std::string& tenant) {
        fs::path dir =
            root_ / tenant;  // the host only passes tenant ids that are safe folder names
        fs::create_directories(dir);
        return dir;
    }
    fs::path root_;
};

std::unique_ptr<Plugin> create(const CreateContext& context) {
    return std::make_unique<PlainArchive>(root_from(context.config_json));
}

const sl_plugin_descriptor descriptor = SIGHTLINE_DESCRIPTOR(
    "archive-plain", "archive", "1.0.0", "Apache-2.0",
    "example: uploads kept as plain files named by SHA-256",
    R"({"root": {"type": "string", "required": true, "description": "folder for the tenants' files"}})",
    &create);

}  // namespace

SIGHTLINE_PLUGIN(descriptor)
