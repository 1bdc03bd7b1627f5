// What the load server's intake says about a relayed file. For the relay account, intake-ftps
// answers the STOR only after it processed the file, with a final line
//   226 <outcome>: <message>     outcome: loaded | duplicate | refused | refused_pii | queued
// Any other 2xx completion is a plain FTP server that only stored the file.
#pragma once

#include <string>

#include "sightline/plugin/transport.hpp"

namespace sightline::relay_ftps {

// line: the final reply, e.g. "226 loaded: 1000 lines". host names the server in messages.
plugin::UploadResult parse_final_reply(const std::string& line, const std::string& host);

}  // namespace sightline::relay_ftps
