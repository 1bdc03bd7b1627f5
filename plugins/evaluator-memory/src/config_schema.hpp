// The JSON config schema embedded in the descriptor (docs/plugin-authors.md#config-schema): this
// plugin has no settings. A constant, so that the descriptor is constant-initialized.
#pragma once

namespace sightline::evaluator_memory {

inline constexpr char kConfigSchema[] = "{}";

}  // namespace sightline::evaluator_memory
