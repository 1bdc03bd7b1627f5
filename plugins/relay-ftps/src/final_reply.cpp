#include "final_reply.hpp"

namespace sightline::relay_ftps {

using plugin::UploadOutcome;
using plugin::UploadResult;

UploadResult parse_final_reply(const std::string& line, const std::string& host) {
    const UploadResult delivered{UploadOutcome::loaded, "delivered to " + host};
    if (line.size() < 4 || line.compare(0, 4, "226 ") != 0) return delivered;
    const std::string text = line.substr(4);
    const size_t colon = text.find(':');
    const std::string word = text.substr(0, colon);
    std::string message;
    if (colon != std::string::npos) {
        message = text.substr(colon + 1);
        if (!message.empty() && message.front() == ' ') message.erase(0, 1);
    }
    if (word == "loaded") return {UploadOutcome::loaded, message};
    if (word == "duplicate") return {UploadOutcome::duplicate, message};
    if (word == "refused") return {UploadOutcome::refused, message};
    if (word == "refused_pii") return {UploadOutcome::refused_pii, message};
    if (word == "queued") {
        return {UploadOutcome::loaded, "delivered; the load server will load it later: " + message};
    }
    return delivered;
}

}  // namespace sightline::relay_ftps
