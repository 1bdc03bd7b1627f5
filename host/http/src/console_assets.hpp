// The console's static files, embedded at build time from host/http/console/ (the generated
// console_assets.cpp; host/http/console/embed.cmake).
#pragma once

#include <cstddef>

namespace sightline::http::detail {

struct ConsoleAsset {
    const char* name;  // file name, e.g. "console.js"
    const unsigned char* data;
    size_t size;
};

extern const ConsoleAsset kConsoleAssets[];
extern const size_t kConsoleAssetCount;

}  // namespace sightline::http::detail
