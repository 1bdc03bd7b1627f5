#include "sightline/core/pii_guard.hpp"

#include <algorithm>
#include <array>

namespace sightline::core {

namespace {

constexpr std::array<std::string_view, 15> personal_tokens = {
    "email", "mail",     "phone", "mobile", "address", "street",    "zip",     "postcode",
    "birth", "birthday", "dob",   "ip",     "surname", "firstname", "lastname"};

// "name" is fine only directly after one of these ("product_name"); anywhere else it names a
// person ("customer_name", "first_name", "name").
constexpr std::array<std::string_view, 6> name_owners = {"item",  "product", "category",
                                                         "brand", "store",   "campaign"};

template <size_t N>
bool among(const std::array<std::string_view, N>& list, std::string_view token) {
    return std::find(list.begin(), list.end(), token) != list.end();
}

std::string_view without_type_prefix(std::string_view name) {
    if (name.size() >= 2 && name[1] == '_' &&
        (name[0] == 's' || name[0] == 'i' || name[0] == 'f' || name[0] == 'd')) {
        name.remove_prefix(2);
    }
    return name;
}

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool in_local_part(char c) {
    return is_alpha(c) || is_digit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool in_label(char c) { return is_alpha(c) || is_digit(c) || c == '-'; }

// After an '@' at text[at]: label ('.' label)+ where some label after the first is a top-level
// label of at least two letters. Checking every later label, not only the last of the run,
// finds "a@ex.com" in "a@ex.com.", "a@ex.com.5" or "a@ex.co.uk".
bool domain_after(std::string_view text, size_t at) {
    size_t i = at + 1;
    const size_t first = i;
    while (i < text.size() && in_label(text[i])) ++i;
    if (i == first) return false;
    while (i + 1 < text.size() && text[i] == '.' && in_label(text[i + 1])) {
        const size_t start = ++i;
        bool letters_only = true;
        for (; i < text.size() && in_label(text[i]); ++i)
            letters_only = letters_only && is_alpha(text[i]);
        if (letters_only && i - start >= 2) return true;
    }
    return false;
}

}  // namespace

std::optional<std::string> pii_column_reason(std::string_view column_name) {
    // Column names are lower case by the format's rules; fold anyway so that a name refused for
    // its case ("S_Email") is still recognised as personal data.
    std::string name(without_type_prefix(column_name));
    for (char& c : name) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    std::string_view rest = name;
    std::string_view previous;  // empty before the first token, so a leading "name" is refused
    while (true) {
        const size_t cut = rest.find('_');
        const std::string_view token = rest.substr(0, cut);
        if (among(personal_tokens, token)) return "token '" + std::string(token) + "'";
        if (token == "name" && !among(name_owners, previous)) {
            return std::string("token 'name' not after item/product/category/brand/store/campaign");
        }
        if (cut == std::string_view::npos) break;
        previous = token;
        rest.remove_prefix(cut + 1);
    }
    return std::nullopt;
}

bool contains_email(std::string_view value) {
    for (size_t at = value.find('@'); at != std::string_view::npos; at = value.find('@', at + 1)) {
        if (at > 0 && in_local_part(value[at - 1]) && domain_after(value, at)) return true;
    }
    return false;
}

}  // namespace sightline::core
