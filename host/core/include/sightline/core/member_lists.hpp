// The member lists behind evaluation tokens, so that a caller syncing a segment into another
// system can ask what changed since its last evaluation (GET .../segments/{id}/changes,
// docs/api.md) instead of fetching every id again.
//
// Each evaluation of a stored segment through the API is recorded with a token (128 random bits)
// bound to its tenant and segment. The lists live in one SQLite file,
// <state_dir>/member_lists/member_lists.sqlite (0600 in a 0700 folder), as sorted delta varints;
// equal lists of a tenant share one row. Per (tenant, segment) only the last `keep` evaluations
// and none older than `days` are kept (MemberListSettings): older ones are removed whenever a
// list is recorded or a token is looked up. SQLite's secure_delete is on, so that rows removed
// by expiry or by a selective deletion (remove_customers) leave no copy in the file.
// Thread-safe; other processes (the CLI's deletions) may use the same file at the same time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sightline/core/profile.hpp"

namespace sightline::core {

// One customer's move between two member lists.
struct MemberChange {
    uint64_t id = 0;
    bool added = false;  // false: removed
    bool operator==(const MemberChange& o) const { return id == o.id && added == o.added; }
};

// What changed from `before` to `after` (both ascending, no duplicates): one list by id.
std::vector<MemberChange> diff_members(const std::vector<uint64_t>& before,
                                       const std::vector<uint64_t>& after);

// An ascending id list as stored: a format byte, then each id's gap from the one before as an
// unsigned LEB128 varint (dense ids take one or two bytes each).
std::string encode_members(const std::vector<uint64_t>& ascending);
// Throws std::runtime_error when the bytes are not such a list (wrong format, truncated, not
// ascending, overflow).
std::vector<uint64_t> decode_members(std::string_view bytes);

// Tokens are 32 lower-case hexadecimal digits (128 random bits).
bool is_member_list_token(const std::string& text);

// A recorded evaluation.
struct StoredMembers {
    std::string token;
    std::string tenant;
    std::string segment;
    int64_t as_of_us = 0;
    int64_t recorded_us = 0;  // by the clock, when it was recorded
    std::string evaluator;
    // A selective deletion removed customers from this list after it was recorded: a diff from
    // it cannot name them as removed.
    bool scrubbed = false;
    std::vector<uint64_t> customers;  // ascending
    // Recorded by a `changes` request: the evaluation it was diffed from, kept with it so that
    // the answer's later pages need only this token (the since token may expire meanwhile).
    std::string since_token;  // "" when not recorded by `changes`
    int64_t since_as_of_us = 0;
    bool since_scrubbed = false;
    std::vector<uint64_t> since_customers;
};

class MemberLists {
public:
    using Clock = std::function<int64_t()>;  // microseconds since the epoch

    // The file is opened (and created) on first use.
    MemberLists(std::string state_dir, Clock clock);
    ~MemberLists();
    MemberLists(const MemberLists&) = delete;
    MemberLists& operator=(const MemberLists&) = delete;

    // Records an evaluation and returns its new token; then drops what `settings` no longer keeps.
    // since: the evaluation a `changes` request diffs it from, kept with it (see StoredMembers).
    std::string record(const std::string& tenant, const std::string& segment,
                       const std::vector<uint64_t>& customers, int64_t as_of_us,
                       const std::string& evaluator, const MemberListSettings& settings,
                       const StoredMembers* since = nullptr);
    // The token of the segment's newest kept evaluation when it has the same list and as_of
    // (a later page of one evaluation: its pages then do not crowd out other tokens); else
    // record() without since.
    std::string record_or_reuse(const std::string& tenant, const std::string& segment,
                                const std::vector<uint64_t>& customers, int64_t as_of_us,
                                const std::string& evaluator, const MemberListSettings& settings);

    enum class Found {
        yes,
        gone,     // never issued, expired or removed
        foreign,  // issued for another tenant or another segment
    };
    struct Lookup {
        Found found = Found::gone;
        std::optional<StoredMembers> members;  // when found
    };
    // The evaluation a token names, when it belongs to (tenant, segment) and is still kept.
    Lookup find(const std::string& tenant, const std::string& segment, const std::string& token,
                const MemberListSettings& settings);

    // Takes the customers out of every stored list of the tenant (a selective deletion); returns
    // how many lists changed. Their evaluations are marked scrubbed (since_scrubbed for those
    // diffed from them).
    size_t remove_customers(const std::string& tenant, std::vector<uint64_t> customers);

    // Evaluations kept for (tenant, segment), oldest first (for tests and diagnostics).
    std::vector<StoredMembers> stored(const std::string& tenant, const std::string& segment);

    const std::string& path() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sightline::core
