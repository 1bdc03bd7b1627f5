#include "sightline/core/json_input.hpp"

namespace sightline::core {

namespace {

struct TooDeep {};

}  // namespace

std::string nesting_too_deep_message() {
    return "objects and lists are nested deeper than " + std::to_string(kMaxNestingDepth) +
           " levels";
}

std::string json_error_text(const std::exception& e) {
    const std::string what = e.what();
    const auto at = what.find("parse error");
    return at == std::string::npos ? what : what.substr(at);
}

nlohmann::json parse_json_input(std::string_view text) {
    using nlohmann::json;
    // The callback sees each container as it opens, with the number of containers around it;
    // throwing there stops the parser before it reads (or allocates) anything deeper.
    const json::parser_callback_t guard = [](int depth, json::parse_event_t event, json&) {
        if ((event == json::parse_event_t::object_start ||
             event == json::parse_event_t::array_start) &&
            static_cast<size_t>(depth) >= kMaxNestingDepth)
            throw TooDeep{};
        return true;
    };
    try {
        return json::parse(text.begin(), text.end(), guard);
    } catch (const TooDeep&) {
        throw JsonInputError(nesting_too_deep_message(), 0);
    } catch (const json::parse_error& e) {
        throw JsonInputError(json_error_text(e), e.byte);
    }
}

}  // namespace sightline::core
