// Kind "archive": keeps every accepted upload, checksummed. The source of truth for restores.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sightline/plugin/api.hpp"

namespace sightline::plugin {

// Streams one object in. Nothing is visible until commit(); destroying an uncommitted writer
// discards what was written.
class ObjectWriter {
public:
    virtual ~ObjectWriter() = default;
    virtual void write(const char* data, size_t size) = 0;
    // Store durably under the SHA-256 of the bytes written (computed by the host). Storing
    // bytes that the archive already has is not an error.
    virtual void commit(const std::string& sha256) = 0;
};

// Streams one object out. The archive verifies the checksum: read() throws Error when the bytes
// do not match their SHA-256, at the latest when it reaches the end.
class ObjectReader {
public:
    virtual ~ObjectReader() = default;
    // Up to size bytes; 0 at the end.
    virtual size_t read(char* buffer, size_t size) = 0;
};

class Archive : public Plugin {
public:
    virtual std::unique_ptr<ObjectWriter> create(const std::string& tenant) = 0;
    // Throws Error when the object is missing.
    virtual std::unique_ptr<ObjectReader> open(const std::string& tenant,
                                               const std::string& sha256) = 0;
    virtual bool contains(const std::string& tenant, const std::string& sha256) = 0;
    // The tenant's history kept beside the objects: one JSON document per entry, appended
    // durably, returned in order.
    virtual void append_history(const std::string& tenant, const std::string& json) = 0;
    virtual std::vector<std::string> history(const std::string& tenant) = 0;

    // --- API 1.1 ------------------------------------------------------------------------------
    // The SHA-256 of every object the tenant has, in ascending order.
    // (A default, so that a 1.0 plugin's source still compiles.)
    virtual std::vector<std::string> list(const std::string& /*tenant*/) {
        throw Error("this archive plugin cannot list its objects (API 1.1)");
    }
};

}  // namespace sightline::plugin
