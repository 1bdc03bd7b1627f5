// The personal-data guard of shared/specs/sales-data.md, in one place.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sightline::core {

// Why a custom column name looks like personal data ("token 'email'",
// "token 'name' not after item/product/category/brand/store/campaign"), or nullopt.
std::optional<std::string> pii_column_reason(std::string_view column_name);

// True when value contains something of the form local@domain.tld (see the spec).
bool contains_email(std::string_view value);

}  // namespace sightline::core
