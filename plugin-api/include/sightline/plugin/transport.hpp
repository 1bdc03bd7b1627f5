// Kind "transport": intake servers (FTPS, a watched folder) and outbound relays.
#pragma once

#include <string>

#include "sightline/plugin/api.hpp"

namespace sightline::plugin {

struct Upload {
    std::string tenant;
    std::string path;     // a complete local file; the sink reads it and never deletes it
    std::string name;     // the name the uploader gave it (no folders)
    bool full = false;    // a full upload (the tenant's full/ folder)
    std::string account;  // who uploaded it, for the log ("" when not known)
    std::string peer;     // where from, for the log ("" when local)
};

enum class UploadOutcome : uint8_t {
    loaded,       // loaded and archived
    duplicate,    // same bytes already loaded; archived and reported
    refused,      // invalid; archived and reported, nothing loaded
    refused_pii,  // refused by the personal-data guard; the transport must delete it
    retry         // could not be processed now (target down, ...): keep it and try later
};

inline const char* to_string(UploadOutcome o) {
    switch (o) {
        case UploadOutcome::loaded:
            return "loaded";
        case UploadOutcome::duplicate:
            return "duplicate";
        case UploadOutcome::refused:
            return "refused";
        case UploadOutcome::refused_pii:
            return "refused_pii";
        case UploadOutcome::retry:
            return "retry";
    }
    return "?";
}

struct UploadResult {
    UploadOutcome outcome = UploadOutcome::retry;
    std::string message;
};

// Where a transport hands complete uploads. Thread-safe; submit() blocks until the file is
// processed. After any outcome but retry the upload has left the transport's hands: remove it.
class UploadSink {
public:
    virtual ~UploadSink() = default;
    virtual UploadResult submit(const Upload& upload) = 0;
};

class Transport : public Plugin {
public:
    // Begin serving in the plugin's own threads; return at once.
    virtual void start(UploadSink& sink) = 0;
    // Stop accepting new uploads and return once in-flight submissions have returned.
    virtual void stop() = 0;
    // Submit everything complete that is pending now, synchronously (serve --drain, tests).
    virtual void drain(UploadSink& sink) { (void)sink; }
    // An outbound relay (edge -> core) accepts uploads itself: return it here, else nullptr.
    virtual UploadSink* relay() { return nullptr; }
};

}  // namespace sightline::plugin
