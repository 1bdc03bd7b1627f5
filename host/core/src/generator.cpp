// Deterministic synthetic sales and catalog files (see generator.hpp and specs/sales-data.md).
//
// Everything is integer arithmetic on a splitmix64 stream, so the bytes depend only on the
// options, never on the platform or the standard library. The sales file is produced one order
// at a time (at most 5 lines), and everything derived from a customer or an item (its id, its
// first-seen date, its price, its category) is a formula of its index: memory stays flat however
// many rows are asked for.
#include "sightline/core/generator.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sightline::core {
namespace {

// ---------------------------------------------------------------------------------------------
// Randomness

// The splitmix64 finalizer: a bijection on 64 bits, used both as the PRNG output function and to
// derive per-customer and per-item values from their index without storing them.
constexpr uint64_t mix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// Every draw must be its own statement (or sequenced by ?:, && or ||): the order in which
// function arguments or the operands of + are evaluated is unspecified, and GCC and Clang
// differ, which would make the bytes depend on the compiler.
class Rng {
public:
    explicit Rng(uint64_t seed) : state_(seed) {}

    uint64_t next() {
        state_ += 0x9E3779B97F4A7C15ULL;
        return mix64(state_);
    }
    // Modulo bias is irrelevant for synthetic data; a fixed formula is what keeps it portable.
    uint64_t below(uint64_t n) { return n <= 1 ? 0 : next() % n; }
    bool per_mille(uint64_t p) { return below(1000) < p; }

private:
    uint64_t state_;
};

// Independent streams and keys for the different uses, so that e.g. changing how catalog titles
// are drawn does not shift every sales value.
enum class Stream : uint64_t {
    sales = 0x5A1E5,
    catalog = 0xCA7A,
    mid_ids = 0x1D51,
    high_ids = 0x1D52,
    first_seen = 0xF157,
    items = 0x17E5,
    missing = 0x5111,
};

uint64_t key_for(uint64_t seed, Stream s) { return mix64(seed ^ mix64(static_cast<uint64_t>(s))); }

// A keyed bijection on [0, 2^62): distinct inputs give distinct outputs, so customer ids built
// from it never collide. Each step (add, xor-shift, multiply by an odd constant, all mod 2^62)
// is invertible.
uint64_t permute62(uint64_t x, uint64_t key) {
    constexpr uint64_t mask = (uint64_t{1} << 62) - 1;
    x = (x + key) & mask;
    x ^= x >> 31;
    x = (x * 0xBF58476D1CE4E5B9ULL) & mask;
    x ^= x >> 29;
    x = (x * 0x94D049BB133111EBULL) & mask;
    x ^= x >> 32;
    return x;
}

// ---------------------------------------------------------------------------------------------
// Calendar (Howard Hinnant's civil algorithms, integer only)

constexpr int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Civil {
    int64_t year;
    unsigned month;
    unsigned day;
};

constexpr Civil civil_from_days(int64_t z) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t y = static_cast<int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {y + (m <= 2), m, d};
}

constexpr int64_t kDay = 86400;
// Three years of history ending 2026-11-01 (exclusive), the demo "today".
constexpr int64_t kStart = days_from_civil(2023, 11, 1) * kDay;
constexpr int64_t kEnd = days_from_civil(2026, 11, 1) * kDay;
// Order start times are spread over [kStart, kStart + kOrderSpan); the margin leaves room for
// jitter, the minutes between lines and refunds up to 30 days later, all still before kEnd.
constexpr int64_t kOrderSpan = kEnd - kStart - 40 * kDay;

// Large pools would be meaningless (no file can use more customers than it has rows) and the
// small/mid/high id ranges below stay disjoint only while the pool is below 2^40.
constexpr uint64_t kMaxCustomers = uint64_t{1} << 40;
constexpr uint64_t kMinItems = 50;
constexpr uint64_t kMaxItems = 10000;

// ---------------------------------------------------------------------------------------------
// Output

// Formats into one reusable fixed buffer and hands it to the stream in large chunks: per-line
// ostringstream, operator<< or even std::string appends would dominate the run time of a
// 10M-line benchmark file.
class Writer {
public:
    explicit Writer(std::ostream& out) : out_(out), buf_(kChunk) {}

    void put(char c) {
        if (pos_ == kChunk) flush();
        buf_[pos_++] = c;
    }

    void put(std::string_view s) {
        if (s.size() > kChunk - pos_) {
            flush();
            if (s.size() > kChunk) {
                out_.write(s.data(), static_cast<std::streamsize>(s.size()));
                return;
            }
        }
        // The values are short: a plain loop beats a call to memcpy here.
        char* dst = buf_.data() + pos_;
        for (char c : s) *dst++ = c;
        pos_ += s.size();
    }

    void put_u64(uint64_t v) {
        char tmp[20];
        size_t n = 0;
        do {
            tmp[n++] = static_cast<char>('0' + v % 10);
            v /= 10;
        } while (v != 0);
        if (n > kChunk - pos_) flush();
        while (n > 0) buf_[pos_++] = tmp[--n];
    }

    void put_i64(int64_t v) {
        if (v < 0) {
            put('-');
            put_u64(~static_cast<uint64_t>(v) + 1);
        } else {
            put_u64(static_cast<uint64_t>(v));
        }
    }

    // Zero-padded to `width` (at most 20) digits: dates, times, fixed-width numbers.
    void put_padded(uint64_t v, size_t width) {
        if (width > kChunk - pos_) flush();
        for (size_t i = width; i > 0; --i) {
            buf_[pos_ + i - 1] = static_cast<char>('0' + v % 10);
            v /= 10;
        }
        pos_ += width;
    }

    // An exact decimal from millionths: trailing zeros dropped, but at least `min_frac` fraction
    // digits (2 gives the "59.90" look of most shop exports).
    void put_decimal(int64_t micros, size_t min_frac) {
        uint64_t abs = static_cast<uint64_t>(micros);
        if (micros < 0) {
            put('-');
            abs = ~abs + 1;
        }
        put_u64(abs / 1000000);
        uint64_t frac = abs % 1000000;
        size_t digits = 6;
        while (digits > min_frac && frac % 10 == 0) {
            frac /= 10;
            --digits;
        }
        if (digits > 0) {
            put('.');
            put_padded(frac, digits);
        }
    }

    // RFC 4180 quoting when the value needs it (delimiter, quote or line break inside).
    void put_csv(std::string_view s) {
        if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
            put(s);
            return;
        }
        put('"');
        for (char c : s) {
            if (c == '"') put('"');
            put(c);
        }
        put('"');
    }

    void end_line() { put('\n'); }

    void flush() {
        if (pos_ > 0) out_.write(buf_.data(), static_cast<std::streamsize>(pos_));
        pos_ = 0;
    }

private:
    static constexpr size_t kChunk = 64 * 1024;
    std::ostream& out_;
    std::vector<char> buf_;
    size_t pos_ = 0;
};

// How a timestamp is written. Real exports mix systems (shop, POS, marketplace), so the sample
// uses every accepted form.
struct TimeStyle {
    enum Form : uint8_t { date_only, utc_z, offset } form = utc_z;
    int offset_minutes = 0;  // for `offset`; may be 0 (+00:00) or negative
    size_t frac_digits = 0;  // 0..6 fraction digits of the seconds
};

constexpr int64_t kMicros = 1000000;

// `utc` in microseconds since the epoch.
void put_time(Writer& w, int64_t utc, const TimeStyle& style) {
    const int64_t utc_seconds = (utc >= 0 ? utc : utc - (kMicros - 1)) / kMicros;
    const int64_t micros = utc - utc_seconds * kMicros;
    if (style.form == TimeStyle::date_only) {
        // A date means midnight UTC of that day, so the UTC day is the one to print.
        const int64_t days = (utc_seconds >= 0 ? utc_seconds : utc_seconds - (kDay - 1)) / kDay;
        const Civil c = civil_from_days(days);
        w.put_padded(static_cast<uint64_t>(c.year), 4);
        w.put('-');
        w.put_padded(c.month, 2);
        w.put('-');
        w.put_padded(c.day, 2);
        return;
    }
    const int64_t local =
        utc_seconds + (style.form == TimeStyle::offset ? style.offset_minutes * 60 : 0);
    const int64_t days = (local >= 0 ? local : local - (kDay - 1)) / kDay;
    const int64_t secs = local - days * kDay;
    const Civil c = civil_from_days(days);
    w.put_padded(static_cast<uint64_t>(c.year), 4);
    w.put('-');
    w.put_padded(c.month, 2);
    w.put('-');
    w.put_padded(c.day, 2);
    w.put('T');
    w.put_padded(static_cast<uint64_t>(secs / 3600), 2);
    w.put(':');
    w.put_padded(static_cast<uint64_t>(secs / 60 % 60), 2);
    w.put(':');
    w.put_padded(static_cast<uint64_t>(secs % 60), 2);
    if (style.frac_digits > 0) {
        uint64_t frac = static_cast<uint64_t>(micros);
        for (size_t i = style.frac_digits; i < 6; ++i) frac /= 10;
        w.put('.');
        w.put_padded(frac, style.frac_digits);
    }
    if (style.form == TimeStyle::utc_z) {
        w.put('Z');
        return;
    }
    const int off = style.offset_minutes;
    w.put(off < 0 ? '-' : '+');
    const int abs_off = off < 0 ? -off : off;
    w.put_padded(static_cast<uint64_t>(abs_off / 60), 2);
    w.put(':');
    w.put_padded(static_cast<uint64_t>(abs_off % 60), 2);
}

// ---------------------------------------------------------------------------------------------
// Customers: pool slot i -> id, by formula

uint64_t customer_pool_size(const GeneratorOptions& o) {
    return std::clamp<uint64_t>(o.customers, 1, kMaxCustomers);
}

// Slots 0 and 1 are the boundary ids 2^64-1 and 2^63 (they come first, so every file has them).
// Other even slots are small increasing ids, like a shop's own customer numbers; odd slots are
// hashed ids, half of them in [2^40, 2^63) and half in (2^63, 2^64-1), the range that breaks
// code storing ids in signed 64-bit integers. The three ranges are disjoint and each formula is
// injective, so distinct slots give distinct ids.
uint64_t customer_id(uint64_t slot, uint64_t mid_key, uint64_t high_key) {
    if (slot == 0) return ~uint64_t{0};
    if (slot == 1) return uint64_t{1} << 63;
    switch (slot & 3) {
        case 1:
            return (uint64_t{1} << 40) + permute62(slot >> 2, mid_key);
        case 3:
            return (uint64_t{1} << 63) + 1 + permute62(slot >> 2, high_key);
        default:
            return 1 + (slot >> 1);
    }
}

// ---------------------------------------------------------------------------------------------
// Items: pool index j -> id, category, unit price, by formula

uint64_t item_pool_size(uint64_t rows) {
    return std::clamp<uint64_t>(rows / 100, kMinItems, kMaxItems);
}

struct Leaf {
    std::string_view prefix;
    std::string_view path;  // category levels separated by '>'
    std::string_view noun;  // for titles
};

constexpr std::array<Leaf, 14> kLeaves{{
    {"SH", "Shoes>Running", "Runner"},
    {"SH", "Shoes>Trail", "Trail Shoe"},
    {"SH", "Shoes>Casual>Sneakers", "Sneaker"},
    {"AP", "Apparel>Tops>T-Shirts", "Tee"},
    {"AP", "Apparel>Tops>Hoodies", "Hoodie"},
    {"AP", "Apparel>Bottoms>Jeans", "Jeans"},
    {"AP", "Apparel", "Jacket"},
    {"AC", "Accessories>Bags", "Backpack"},
    {"AC", "Accessories>Watches", "Watch"},
    {"HM", "Home>Kitchen>Cookware", "Pan"},
    {"HM", "Home>Decor", "Vase"},
    {"BT", "Beauty", "Balm"},
    {"BT", "Beauty>Skincare", "Serum"},
    {"GC", "Gift Cards", "Gift Card"},
}};

struct ItemPool {
    uint64_t size;
    uint64_t key;
    uint64_t number_base;  // 6-digit item numbers start here

    explicit ItemPool(const GeneratorOptions& o)
        : size(item_pool_size(o.rows)),
          key(key_for(o.seed, Stream::items)),
          number_base(100000 + key % 800000) {}

    uint64_t hash(uint64_t j) const { return mix64(j ^ key); }
    const Leaf& leaf(uint64_t j) const { return kLeaves[hash(j) % kLeaves.size()]; }

    // "SH-123456": the number is unique per index, so ids are unique whatever the prefix.
    void put_id(Writer& w, uint64_t j) const {
        w.put(leaf(j).prefix);
        w.put('-');
        w.put_padded(number_base + j, 6);
    }

    // Unit price in millionths. Mostly whole cents (many ending in .99), some with sub-cent
    // precision (sold by weight or volume), a few expensive ones.
    int64_t unit_price(uint64_t j) const {
        const uint64_t h = mix64(hash(j) + 1);
        const uint64_t kind = h % 100;
        const uint64_t r = h >> 8;
        if (kind < 60) return static_cast<int64_t>((r % 300 * 100 + 99) * 10000);  // x.99
        if (kind < 88) return static_cast<int64_t>((100 + r % 99900) * 10000);     // 1.00-999.99
        if (kind < 97) return static_cast<int64_t>(1 + r % 50000000);  // up to 50.000000
        return static_cast<int64_t>((100000 + r % 2400000) * 10000);   // 1000.00-24999.99
    }
};

// ---------------------------------------------------------------------------------------------
// Sales

constexpr std::string_view kSalesHeader =
    "order,timestamp,customer,item,price,quantity,s_channel,i_store,f_discount,d_first_seen";

// s_channel values as they appear in the file (already CSV-encoded), with the odd ones real
// exports carry: a value holding the delimiter, one with quotes, one with non-ASCII text.
enum Channel : uint8_t { web, app, store, marketplace, social, none, multi, quoted, accented };
constexpr std::array<std::string_view, 9> kChannelCsv{"web",
                                                      "app",
                                                      "store",
                                                      "marketplace",
                                                      "social",
                                                      "",
                                                      "\"web, mobile\"",
                                                      "\"say \"\"hi\"\"\"",
                                                      "boutique \xC3\xA9t\xC3\xA9"};

constexpr std::array<int, 7> kPlusOffsets{60, 120, 330, 540, 0, 600, 345};
constexpr std::array<int, 6> kMinusOffsets{-300, -480, -180, -240, -420, -210};
constexpr std::array<int64_t, 6> kDiscounts{50000, 100000, 150000, 200000, 250000, 500000};

struct Line {
    uint64_t item = 0;
    int64_t price = 0;     // millionths
    int64_t quantity = 0;  // millionths
    int64_t time = 0;      // UTC microseconds
    bool quantity_missing = false;
};

class SalesGenerator {
public:
    explicit SalesGenerator(const GeneratorOptions& o)
        : rows_(o.rows),
          pool_(customer_pool_size(o)),
          rng_(key_for(o.seed, Stream::sales)),
          mid_key_(key_for(o.seed, Stream::mid_ids)),
          high_key_(key_for(o.seed, Stream::high_ids)),
          first_seen_key_(key_for(o.seed, Stream::first_seen)),
          items_(o),
          order_seq_(1000 + key_for(o.seed, Stream::sales) % 900000) {
        if (rows_ > 0) {
            step_ = static_cast<int64_t>(static_cast<uint64_t>(kOrderSpan) / rows_);
            step_rem_ = static_cast<uint64_t>(kOrderSpan) % rows_;
        }
    }

    void run(Writer& w) {
        w.put(kSalesHeader);
        w.end_line();
        uint64_t emitted = 0;
        while (emitted < rows_) {
            const size_t n = plan_order(rows_ - emitted);
            write_order(w, n);
            emitted += n;
        }
    }

private:
    // The clock advances by kOrderSpan / rows per written line (remainder carried exactly), so
    // the file covers the whole span whatever its size.
    void advance_clock(size_t lines) {
        for (size_t i = 0; i < lines; ++i) {
            clock_ += step_;
            carry_ += step_rem_;
            if (carry_ >= rows_) {
                carry_ -= rows_;
                ++clock_;
            }
        }
    }

    // Most orders come from a customer not seen before (taking the next pool slot, so the whole
    // pool gets used once there are enough orders); the rest are repeat buyers, a third of them
    // from a small loyal set so that some customers have many orders.
    uint64_t draw_customer() {
        if (seen_ < pool_ && (seen_ == 0 || rng_.per_mille(700))) return seen_++;
        if (seen_ > 3 && rng_.per_mille(333)) return 10 * rng_.below((seen_ - 3 + 9) / 10) + 3;
        return rng_.below(seen_);
    }

    uint64_t draw_item() {
        // Half uniform, half the smaller of two draws: a long tail with a few bestsellers.
        const uint64_t a = rng_.below(items_.size);
        if (rng_.per_mille(500)) return a;
        return std::min(a, rng_.below(items_.size));
    }

    // Quantity in millionths: mostly 1, some multiples, a few fractional (sold by weight).
    int64_t draw_quantity() {
        const uint64_t r = rng_.below(100);
        if (r < 75) return 1000000;
        if (r < 87) return 2000000;
        if (r < 92) return 3000000;
        if (r < 95) return static_cast<int64_t>(4 + rng_.below(7)) * 1000000;
        static constexpr std::array<int64_t, 5> kFractions{500000, 1250000, 333000, 2750000,
                                                           125000};
        return kFractions[rng_.below(kFractions.size())];
    }

    static int64_t line_total(int64_t unit, int64_t quantity) {
        // unit < 2.5e10 and quantity <= 1e7 millionths: the product fits in int64.
        return unit * quantity / 1000000;
    }

    TimeStyle draw_time_style() {
        TimeStyle s;
        const uint64_t r = rng_.below(100);
        if (r < 45) {
            s.form = TimeStyle::utc_z;
        } else if (r < 55) {
            s.form = TimeStyle::utc_z;
            s.frac_digits = 1 + static_cast<size_t>(rng_.below(6));
        } else if (r < 70) {
            s.form = TimeStyle::offset;
            s.offset_minutes = kPlusOffsets[rng_.below(kPlusOffsets.size())];
        } else if (r < 85) {
            s.form = TimeStyle::offset;
            s.offset_minutes = kMinusOffsets[rng_.below(kMinusOffsets.size())];
        } else {
            s.form = TimeStyle::date_only;
        }
        if (s.form == TimeStyle::offset && rng_.per_mille(200)) {
            s.frac_digits = rng_.per_mille(500) ? 3 : 6;
        }
        return s;
    }

    Channel draw_channel() {
        const uint64_t r = rng_.below(1000);
        if (r < 5) return multi;
        if (r < 10) return quoted;
        if (r < 15) return accented;
        if (r < 35) return none;
        if (r < 480) return web;
        if (r < 680) return app;
        if (r < 880) return store;
        if (r < 970) return marketplace;
        return social;
    }

    Line& add_line(uint64_t item, int64_t quantity, int64_t time) {
        Line& l = lines_[count_++];
        l = Line{};
        l.item = item;
        l.quantity = quantity;
        l.price = line_total(items_.unit_price(item), quantity);
        l.time = time;
        return l;
    }

    // Returns the time of the next line: the same instant (one checkout), or seconds to minutes
    // later (items added to an open POS ticket, split shipments).
    int64_t next_line_time(int64_t t, bool same_instant) {
        if (same_instant) return t;
        const int64_t seconds = rng_.per_mille(800) ? 1 + static_cast<int64_t>(rng_.below(60))
                                                    : 60 + static_cast<int64_t>(rng_.below(840));
        return t + seconds * kMicros + random_micros();
    }

    int64_t random_micros() { return static_cast<int64_t>(rng_.below(kMicros)); }

    // A return or refund: at least a day after the purchase (so it is later even when written as
    // a date only), at most 30 days.
    int64_t later_time(int64_t t) {
        const int64_t seconds = kDay + static_cast<int64_t>(rng_.below(29 * kDay));
        return t + seconds * kMicros + random_micros();
    }

    // Fills lines_ with one order of at most `max_lines` lines and sets the order-level fields.
    size_t plan_order(uint64_t max_lines) {
        count_ = 0;
        const int64_t jitter = static_cast<int64_t>(rng_.below(3600));
        const int64_t base = (clock_ + jitter) * kMicros + random_micros();
        const bool same_instant = rng_.per_mille(400);
        const uint64_t kind = rng_.below(1000);
        int64_t t = base;
        if (kind < 20) {
            // Zero-total order: free samples or a 100% voucher.
            const uint64_t n = 1 + rng_.below(2);
            for (uint64_t i = 0; i < n; ++i) {
                add_line(draw_item(), 1000000, t).price = 0;
                t = next_line_time(t, same_instant);
            }
        } else if (kind < 50) {
            // Full refund: every line mirrored by a negative line days later; net total 0.
            const uint64_t n = 1 + rng_.below(2);
            for (uint64_t i = 0; i < n; ++i) {
                const uint64_t item = draw_item();
                add_line(item, draw_quantity(), t);
                t = next_line_time(t, same_instant);
            }
            const int64_t refund_time = later_time(t);
            for (uint64_t i = 0; i < n; ++i) {
                const Line original = lines_[i];
                Line& r = add_line(original.item, -original.quantity, refund_time);
                r.price = -original.price;
            }
        } else if (kind < 100) {
            // Partial return: one unit (or the weighed amount) of one line comes back later.
            const uint64_t n = 1 + rng_.below(4);
            for (uint64_t i = 0; i < n; ++i) {
                const uint64_t item = draw_item();
                add_line(item, draw_quantity(), t);
                t = next_line_time(t, same_instant);
            }
            const Line original = lines_[rng_.below(n)];
            const int64_t back = original.quantity % 1000000 == 0 ? 1000000 : original.quantity;
            const int64_t return_time = later_time(t);
            Line& r = add_line(original.item, -back, return_time);
            r.price = -line_total(items_.unit_price(original.item), back);
        } else {
            const uint64_t r = rng_.below(100);
            const uint64_t n = r < 40 ? 1 : r < 65 ? 2 : r < 80 ? 3 : r < 90 ? 4 : 5;
            for (uint64_t i = 0; i < n; ++i) {
                const uint64_t item = draw_item();
                Line& l = add_line(item, draw_quantity(), t);
                // Exports often leave quantity empty when it is 1 (the default).
                l.quantity_missing = l.quantity == 1000000 && rng_.per_mille(50);
                t = next_line_time(t, same_instant);
            }
            // A free gift line now and then (price 0 inside a paid order).
            if (n < 5 && rng_.per_mille(20)) add_line(draw_item(), 1000000, t).price = 0;
        }
        count_ = static_cast<size_t>(std::min<uint64_t>(count_, max_lines));

        // Order-level fields.
        uint64_t slot = draw_customer();
        bool reuse = false;
        // Never chain reuses: a third use could land back on the first customer and merge into
        // that order.
        if (have_previous_ && !previous_reused_ && rng_.per_mille(4)) {
            // The same order id under another customer (two storefronts numbering alike): a
            // different order, since orders are keyed by (customer, order id).
            if (slot == previous_slot_ && seen_ >= 2) slot = (slot + 1) % seen_;
            reuse = slot != previous_slot_;
        }
        customer_ = customer_id(slot, mid_key_, high_key_);
        previous_slot_ = slot;
        previous_reused_ = reuse;
        have_previous_ = true;
        time_style_ = draw_time_style();
        channel_ = draw_channel();
        price_frac_ = rng_.per_mille(800) ? 2 : 0;
        const uint64_t store_roll = rng_.below(1000);
        store_missing_ = false;
        if (store_roll < 5) {
            store_ = -1;  // "unknown store" in some POS exports
        } else if (channel_ == store) {
            store_ = 1 + static_cast<int64_t>(rng_.below(120));
        } else if (channel_ == marketplace) {
            store_ = 500 + static_cast<int64_t>(rng_.below(20));
        } else {
            store_ = 0;
            store_missing_ = store_roll < 300;
        }
        if (!reuse) {
            ++order_seq_;
            format_order_id();
        }
        first_seen_missing_ = rng_.per_mille(20);
        first_seen_slot_ = slot;
        return count_;
    }

    // Order id in the style of the channel's system; the sequence number keeps ids unique.
    void format_order_id() {
        order_id_len_ = 0;
        auto append = [this](std::string_view s) {
            for (char c : s) order_id_[order_id_len_++] = c;
        };
        // Zero-padded to `width` digits, longer if the number needs it (width 0: as is).
        auto append_num = [this](uint64_t v, int width) {
            char tmp[20];
            size_t n = 0;
            do {
                tmp[n++] = static_cast<char>('0' + v % 10);
                v /= 10;
            } while (v != 0 && n < sizeof tmp);
            while (n < static_cast<size_t>(width) && n < sizeof tmp) tmp[n++] = '0';
            for (size_t i = n; i-- > 0;) order_id_[order_id_len_++] = tmp[i];
        };
        if (channel_ == store) {
            append("POS-");
            append_num(static_cast<uint64_t>(store_ < 0 ? 0 : store_), 3);
            append("-");
            append_num(order_seq_, 8);
        } else if (channel_ == marketplace) {
            append("MP-");
            append_num(order_seq_, 12);
        } else {
            append("#");  // the Shopify look: "#1001"
            append_num(order_seq_, 0);
        }
    }

    // d_first_seen is a property of the customer: derived from the slot, the same on each line.
    void put_first_seen(Writer& w) {
        const uint64_t h = mix64(first_seen_slot_ ^ first_seen_key_);
        if (first_seen_missing_ || h % 100 < 8) return;
        constexpr int64_t lo = kStart - 730 * kDay;
        constexpr int64_t range = kEnd - 60 * kDay - lo;
        const int64_t t = lo + static_cast<int64_t>((h >> 8) % static_cast<uint64_t>(range));
        TimeStyle s;
        const uint64_t form = (h >> 52) % 10;
        s.form = form < 7 ? TimeStyle::date_only : form < 9 ? TimeStyle::utc_z : TimeStyle::offset;
        s.offset_minutes = (h >> 60) % 2 == 0 ? -300 : 60;
        put_time(w, t * kMicros, s);
    }

    void write_order(Writer& w, size_t n) {
        const std::string_view order(order_id_.data(), order_id_len_);
        for (size_t i = 0; i < n; ++i) {
            const Line& l = lines_[i];
            w.put(order);
            w.put(',');
            put_time(w, l.time, time_style_);
            w.put(',');
            w.put_u64(customer_);
            w.put(',');
            items_.put_id(w, l.item);
            w.put(',');
            w.put_decimal(l.price, price_frac_);
            w.put(',');
            if (!l.quantity_missing) w.put_decimal(l.quantity, 0);
            w.put(',');
            w.put(kChannelCsv[channel_]);
            w.put(',');
            if (!store_missing_) w.put_i64(store_);
            w.put(',');
            const uint64_t d = rng_.below(100);
            if (d < 45) {
                w.put('0');
            } else if (d < 60) {
                // missing
            } else if (d < 90) {
                w.put_decimal(kDiscounts[rng_.below(kDiscounts.size())], 0);
            } else {
                w.put_decimal(static_cast<int64_t>(rng_.below(1000000)), 0);
            }
            w.put(',');
            put_first_seen(w);
            w.end_line();
        }
        advance_clock(n);
    }

    const uint64_t rows_;
    const uint64_t pool_;
    Rng rng_;
    const uint64_t mid_key_;
    const uint64_t high_key_;
    const uint64_t first_seen_key_;
    const ItemPool items_;

    int64_t clock_ = kStart;
    int64_t step_ = 0;
    uint64_t step_rem_ = 0;
    uint64_t carry_ = 0;
    uint64_t seen_ = 0;  // customer slots [0, seen_) have been used

    // The current order (bounded: at most 5 lines, a fixed-size id).
    std::array<Line, 6> lines_{};
    size_t count_ = 0;
    std::array<char, 32> order_id_{};
    size_t order_id_len_ = 0;
    uint64_t order_seq_;
    uint64_t customer_ = 0;
    uint64_t previous_slot_ = 0;
    bool have_previous_ = false;
    bool previous_reused_ = false;
    TimeStyle time_style_;
    Channel channel_ = web;
    size_t price_frac_ = 2;
    int64_t store_ = 0;
    bool store_missing_ = false;
    bool first_seen_missing_ = false;
    uint64_t first_seen_slot_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Catalog

constexpr std::array<std::string_view, 8> kAdjectives{"Swift",    "Classic", "Urban", "Alpine",
                                                      "Everyday", "Pro",     "Lite",  "Heritage"};
constexpr std::array<std::string_view, 6> kBrands{"Northwind", "Acme",     "Contoso",
                                                  "Fabrikam",  "Tailspin", "Wingtip"};
constexpr std::array<std::string_view, 7> kColors{"black", "white", "red",  "navy",
                                                  "green", "grey",  "beige"};

// Writes a category cell, optionally with the spaces around separators that hand-edited
// catalogs have (" Shoes > Trail | Sale "); readers trim them.
void put_category(Writer& w, std::string_view path, bool spaced) {
    if (spaced) w.put(' ');
    for (char c : path) {
        if (spaced && (c == '>' || c == '|')) {
            w.put(' ');
            w.put(c);
            w.put(' ');
        } else {
            w.put(c);
        }
    }
    if (spaced) w.put(' ');
}

}  // namespace

void generate_sales(const GeneratorOptions& options, std::ostream& out) {
    Writer w(out);
    SalesGenerator gen(options);
    gen.run(w);
    w.flush();
}

void generate_catalog(const GeneratorOptions& options, std::ostream& out) {
    Writer w(out);
    const ItemPool items(options);
    const uint64_t missing_key = key_for(options.seed, Stream::missing);
    Rng rng(key_for(options.seed, Stream::catalog));
    w.put("item,category,title,brand,s_color");
    w.end_line();
    std::string path;
    std::string title;
    for (uint64_t j = 0; j < items.size; ++j) {
        // Left out on purpose: an item sold but unknown to the catalog has no category. Item 2
        // is always among them (and low indexes sell most), so every sales file sells one.
        if (j == 2 || mix64(j ^ missing_key) % 100 < 4) continue;
        const Leaf& leaf = items.leaf(j);
        path.assign(leaf.path);
        if (rng.per_mille(200)) path += "|Sale";
        if (rng.per_mille(80)) path += "|New Arrivals";
        if (rng.per_mille(50)) {
            const std::string_view other = kLeaves[rng.below(kLeaves.size())].path;
            if (other != leaf.path) {
                path += '|';
                path += other;
            }
        }
        items.put_id(w, j);
        w.put(',');
        put_category(w, path, rng.per_mille(150));
        w.put(',');
        const uint64_t t = rng.below(1000);
        if (t >= 30) {  // else: no title (optional column)
            title.assign(kAdjectives[rng.below(kAdjectives.size())]);
            title += ' ';
            title += leaf.noun;
            title += ' ';
            title += static_cast<char>('1' + rng.below(9));
            if (t < 60) {
                title += ", ";  // needs quoting: holds the delimiter
                title += kColors[rng.below(kColors.size())];
            } else if (t < 80) {
                title.insert(0, "The \"");  // needs quoting: holds quotes
                title.insert(title.find(' ', 5), "\"");
            }
            w.put_csv(title);
        }
        w.put(',');
        if (!rng.per_mille(50)) w.put(kBrands[rng.below(kBrands.size())]);
        w.put(',');
        if (!rng.per_mille(200)) w.put(kColors[rng.below(kColors.size())]);
        w.end_line();
    }
    w.flush();
}

}  // namespace sightline::core
