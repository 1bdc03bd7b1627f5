// A minimal archive that keeps nothing: a well-formed plugin for loader tests.
#include "sightline/plugin/archive.hpp"

namespace {
using namespace sightline::plugin;

class NullWriter : public ObjectWriter {
public:
    void write(const char*, size_t) override {}
    void commit(const std::string&) override {}
};

class NullArchive : public Archive {
public:
    std::unique_ptr<ObjectWriter> create(const std::string&) override {
        return std::make_unique<NullWriter>();
    }
    std::unique_ptr<ObjectReader> open(const std::string&, const std::string& sha) override {
        throw Error("null-archive keeps nothing: no object " + sha);
    }
    bool contains(const std::string&, const std::string&) override { return false; }
    void append_history(const std::string&, const std::string&) override {}
    std::vector<std::string> history(const std::string&) override { return {}; }
};

std::unique_ptr<Plugin> create(const CreateContext&) { return std::make_unique<NullArchive>(); }
const sl_plugin_descriptor descriptor = SIGHTLINE_DESCRIPTOR(
    "null-archive", "archive", "1.0.0", "Apache-2.0", "keeps nothing (tests only)",
    R"({"note": {"type": "string", "default": "", "description": "ignored"}})", &create);
}  // namespace
SIGHTLINE_PLUGIN(descriptor)
