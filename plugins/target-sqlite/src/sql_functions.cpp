#include "sql_functions.hpp"

#include <algorithm>
#include <cstring>

#include "customer_key.hpp"
#include "sightline/plugin/api.hpp"

namespace sightline::target_sqlite {

namespace {

__extension__ typedef unsigned __int128 uint128;

// The running sum lives in SQLite's aggregate context, which is only 8-byte aligned: an int128
// there would be a misaligned object, so it is kept as bytes and copied in and out.
struct SumState {
    unsigned char sum[sizeof(int128)];
};

void sum_step(sqlite3_context* ctx, int, sqlite3_value** args) {
    auto* state = static_cast<SumState*>(sqlite3_aggregate_context(ctx, sizeof(SumState)));
    if (!state) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    switch (sqlite3_value_type(args[0])) {
        case SQLITE_NULL:
            return;  // like SUM(): missing values do not count
        case SQLITE_INTEGER: {
            int128 sum;
            std::memcpy(&sum, state->sum, sizeof sum);
            sum += sqlite3_value_int64(args[0]);
            std::memcpy(state->sum, &sum, sizeof sum);
            return;
        }
        default:
            // Anything else would need rounding, which the exact encodings never need.
            sqlite3_result_error(ctx, "sl_sum_exact: value is not an integer count of millionths",
                                 -1);
    }
}

void sum_final(sqlite3_context* ctx) {
    // sqlite3_aggregate_context(ctx, 0) returns null when no row was stepped: the sum is 0.
    auto* state = static_cast<SumState*>(sqlite3_aggregate_context(ctx, 0));
    int128 sum = 0;  // the context starts zeroed, so a fresh state also reads as 0
    if (state) std::memcpy(&sum, state->sum, sizeof sum);
    const std::string text = format_millionths(sum);
    sqlite3_result_text(ctx, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

void customer_id(sqlite3_context* ctx, int, sqlite3_value** args) {
    if (sqlite3_value_type(args[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    const auto flipped = static_cast<uint64_t>(sqlite3_value_int64(args[0])) ^ kCustomerKeyFlip;
    sqlite3_result_int64(ctx, static_cast<int64_t>(flipped));
}

}  // namespace

std::string format_millionths(int128 millionths) {
    const bool negative = millionths < 0;
    uint128 magnitude =
        negative ? -static_cast<uint128>(millionths) : static_cast<uint128>(millionths);
    const auto fraction = static_cast<unsigned>(magnitude % 1000000);
    magnitude /= 1000000;

    std::string out;
    do {
        out.push_back(static_cast<char>('0' + static_cast<int>(magnitude % 10)));
        magnitude /= 10;
    } while (magnitude != 0);
    if (negative) out.push_back('-');
    std::reverse(out.begin(), out.end());

    if (fraction != 0) {
        char digits[7];
        unsigned f = fraction;
        for (int i = 5; i >= 0; --i) {
            digits[i] = static_cast<char>('0' + f % 10);
            f /= 10;
        }
        int length = 6;
        while (digits[length - 1] == '0') --length;
        out.push_back('.');
        out.append(digits, static_cast<size_t>(length));
    }
    return out;
}

void register_sql_functions(sqlite3* db) {
    const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    int rc = sqlite3_create_function_v2(db, "sl_sum_exact", 1, flags, nullptr, nullptr, sum_step,
                                        sum_final, nullptr);
    if (rc == SQLITE_OK) {
        rc = sqlite3_create_function_v2(db, "sl_customer_id", 1, flags, nullptr, customer_id,
                                        nullptr, nullptr, nullptr);
    }
    if (rc != SQLITE_OK) {
        throw sightline::plugin::Error(std::string("sqlite: cannot register SQL functions: ") +
                                       sqlite3_errmsg(db));
    }
}

}  // namespace sightline::target_sqlite
