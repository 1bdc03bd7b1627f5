// Kind "evaluator": computes the customers in a segment (language: shared/specs/segments.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sightline/plugin/api.hpp"
#include "sightline/plugin/target.hpp"

namespace sightline::plugin {

struct EvaluationRequest {
    std::string definition_json;  // a definition already validated by the host's parser
    int64_t as_of_us = 0;         // evaluation instant, UTC microseconds
};

struct EvaluationResult {
    std::vector<uint64_t> customers;    // ascending, unique
    std::vector<std::string> warnings;  // e.g. a field the tenant's data never had
};

class Evaluator : public Plugin {
public:
    // Whether this evaluator can run against a target of this dialect.
    virtual bool supports(const std::string& dialect) const = 0;
    virtual EvaluationResult evaluate(const EvaluationRequest& request, TenantStore& store) = 0;
};

}  // namespace sightline::plugin
