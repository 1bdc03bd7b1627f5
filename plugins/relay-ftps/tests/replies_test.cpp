// Parsing the server's replies: the load server's verdict in the final 226, and HASH.
#include <gtest/gtest.h>

#include "final_reply.hpp"
#include "ftps_client.hpp"

namespace {

using sightline::ftps_client::parse_hash_reply;
using sightline::ftps_client::reply_code;
using sightline::plugin::Error;
using sightline::plugin::UploadOutcome;
using sightline::relay_ftps::parse_final_reply;

TEST(FinalReply, EachOutcomeOfTheLoadServer) {
    auto r = parse_final_reply("226 loaded: 1000 lines", "core");
    EXPECT_EQ(r.outcome, UploadOutcome::loaded);
    EXPECT_EQ(r.message, "1000 lines");
    r = parse_final_reply("226 duplicate: same bytes as sales.csv", "core");
    EXPECT_EQ(r.outcome, UploadOutcome::duplicate);
    EXPECT_EQ(r.message, "same bytes as sales.csv");
    r = parse_final_reply("226 refused: sales.csv:3:2: bad timestamp", "core");
    EXPECT_EQ(r.outcome, UploadOutcome::refused);
    EXPECT_EQ(r.message, "sales.csv:3:2: bad timestamp");
    r = parse_final_reply("226 refused_pii: column email", "core");
    EXPECT_EQ(r.outcome, UploadOutcome::refused_pii);
    EXPECT_EQ(r.message, "column email");
}

TEST(FinalReply, QueuedCountsAsDelivered) {
    const auto r = parse_final_reply("226 queued: target down", "core");
    EXPECT_EQ(r.outcome, UploadOutcome::loaded);
    EXPECT_EQ(r.message, "delivered; the load server will load it later: target down");
}

TEST(FinalReply, APlainServerOnlyStoredIt) {
    for (const char* line :
         {"226 Transfer complete.", "250 OK", "226 Loaded: capitalised", "226 loadedx: y", ""}) {
        const auto r = parse_final_reply(line, "backup.example");
        EXPECT_EQ(r.outcome, UploadOutcome::loaded) << line;
        EXPECT_EQ(r.message, "delivered to backup.example") << line;
    }
    EXPECT_EQ(parse_final_reply("226 loaded", "core").message, "");
}

TEST(HashReply, ParsesTheDraftFormat) {
    const std::string hex(64, 'a');
    EXPECT_EQ(parse_hash_reply("213 SHA-256 0-42 " + hex + " sales.csv"), hex);
    EXPECT_EQ(parse_hash_reply("213 sha-256 0-0 " + std::string(64, 'B') + " a b.csv"),
              std::string(64, 'b'));
    EXPECT_THROW(parse_hash_reply("213 MD5 0-42 abc x"), Error);
    EXPECT_THROW(parse_hash_reply("213 SHA-256 0-42 abc x"), Error);
    EXPECT_THROW(parse_hash_reply("550 no"), Error);
    EXPECT_THROW(parse_hash_reply("213 SHA-256 " + hex), Error);
}

TEST(ReplyCode, OnlyRealReplies) {
    EXPECT_EQ(reply_code("226 ok"), 226);
    EXPECT_EQ(reply_code("226-first"), 226);
    EXPECT_EQ(reply_code("22 x"), 0);
    EXPECT_EQ(reply_code("abc def"), 0);
    EXPECT_EQ(reply_code("226"), 0);
}

}  // namespace
