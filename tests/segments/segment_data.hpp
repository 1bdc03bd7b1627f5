// Random but reproducible tenant data and segment definitions for the differential tests:
// evaluator-sql on every target must agree with evaluator-memory, the oracle written from the
// spec. The generator aims at the spec's edges: lines exactly on window boundaries, returns and
// zero-total orders, the same order id under several customers, ids around 2^63 and 2^64-1,
// categories that share a prefix without being below each other, missing custom cells.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sightline::segtest {

// A tiny, portable generator (splitmix64): the same seed gives the same data on every machine.
class Rng {
public:
    explicit Rng(uint64_t seed) : state_(seed) {}
    uint64_t next() {
        uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    uint64_t below(uint64_t n) { return next() % n; }
    bool chance(int percent) { return below(100) < static_cast<uint64_t>(percent); }
    template <typename T>
    const T& pick(const std::vector<T>& v) {
        return v[below(v.size())];
    }

private:
    uint64_t state_;
};

// The instant the data is built around (as_of candidates are derived from it).
constexpr int64_t kBaseUs = 1'790'000'000'000'000;  // 2026-09-21T...Z

struct Dataset {
    std::string sales_csv;
    std::string catalog_csv;
    std::vector<int64_t> line_times;  // some line timestamps (exact as_of candidates)
    uint64_t lines = 0;
};

// customers: how many; about 6 lines each on average.
Dataset make_dataset(uint64_t seed, int customers);

// One random definition as JSON text; depth bounds the nesting.
std::string random_definition(Rng& rng, int index);

// as_of candidates: the base instant, earlier instants, and exact line times.
std::vector<int64_t> as_of_candidates(const Dataset& data);

// At least 30 fixed definitions covering every rule kind (for the 100,000-line comparison).
std::vector<std::string> representative_definitions();

}  // namespace sightline::segtest
