// The synthetic data generator: determinism, exact shape, validity per the v1 format, and that
// the edge cases real data has (and segment rules care about) actually occur in a modest sample.
//
// The output is parsed with small local helpers rather than the core CSV reader, so that these
// tests check the generator against the spec and not against another implementation.
#include "sightline/core/generator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

namespace sightline::core {
namespace {

constexpr uint64_t kTwo63 = uint64_t{1} << 63;
constexpr uint64_t kMaxU64 = ~uint64_t{0};

std::string sales(uint64_t rows, uint64_t customers, uint64_t seed) {
    std::ostringstream out;
    generate_sales({rows, customers, seed}, out);
    return out.str();
}

std::string catalog(uint64_t rows, uint64_t customers, uint64_t seed) {
    std::ostringstream out;
    generate_catalog({rows, customers, seed}, out);
    return out.str();
}

// Lines without their '\n'; fails the test if the text does not end with one.
std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    size_t start = 0;
    while (start < text.size()) {
        const size_t end = text.find('\n', start);
        if (end == std::string::npos) {
            ADD_FAILURE() << "last line has no line end";
            lines.push_back(text.substr(start));
            break;
        }
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

// RFC 4180 fields of one line (the generator never writes line breaks inside fields). Unquoted
// values are trimmed as the spec says; `quoted` reports which fields were quoted.
std::vector<std::string> split_csv(std::string_view line, std::vector<bool>* quoted = nullptr) {
    std::vector<std::string> fields;
    if (quoted) quoted->clear();
    size_t i = 0;
    while (true) {
        std::string field;
        bool was_quoted = false;
        if (i < line.size() && line[i] == '"') {
            was_quoted = true;
            ++i;
            while (true) {
                if (i >= line.size()) {
                    ADD_FAILURE() << "unterminated quote in: " << line;
                    break;
                }
                if (line[i] == '"') {
                    if (i + 1 < line.size() && line[i + 1] == '"') {
                        field += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                field += line[i++];
            }
            if (i < line.size() && line[i] != ',') {
                ADD_FAILURE() << "text after closing quote in: " << line;
            }
        } else {
            const size_t end = std::min(line.find(',', i), line.size());
            field = std::string(line.substr(i, end - i));
            const size_t b = field.find_first_not_of(' ');
            const size_t e = field.find_last_not_of(' ');
            field = b == std::string::npos ? "" : field.substr(b, e - b + 1);
            i = end;
        }
        fields.push_back(field);
        if (quoted) quoted->push_back(was_quoted);
        if (i >= line.size()) break;
        ++i;  // the delimiter
    }
    return fields;
}

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

std::optional<uint64_t> parse_u64(std::string_view s) {
    if (!all_digits(s) || s.size() > 20) return std::nullopt;
    uint64_t v = 0;
    for (char c : s) {
        const uint64_t d = static_cast<uint64_t>(c - '0');
        if (v > (kMaxU64 - d) / 10) return std::nullopt;
        v = v * 10 + d;
    }
    return v;
}

std::optional<int64_t> parse_i64(std::string_view s) {
    const bool neg = !s.empty() && s[0] == '-';
    const auto abs = parse_u64(neg ? s.substr(1) : s);
    if (!abs || *abs > (uint64_t{1} << 62)) return std::nullopt;  // plenty for these values
    return neg ? -static_cast<int64_t>(*abs) : static_cast<int64_t>(*abs);
}

// Decimal per the spec, in millionths: sign, digits, '.', at most 6 digits; |v| < 10^12.
std::optional<int64_t> parse_decimal(std::string_view s) {
    const bool neg = !s.empty() && s[0] == '-';
    if (neg) s.remove_prefix(1);
    const size_t dot = s.find('.');
    const std::string_view whole = s.substr(0, dot);
    const std::string_view frac = dot == std::string_view::npos ? "" : s.substr(dot + 1);
    if (!all_digits(whole) || whole.size() > 12) return std::nullopt;
    if (dot != std::string_view::npos && (!all_digits(frac) || frac.size() > 6)) {
        return std::nullopt;
    }
    const int64_t w = static_cast<int64_t>(*parse_u64(whole));
    if (w >= 1000000000000) return std::nullopt;
    int64_t f = 0;
    for (size_t i = 0; i < 6; ++i) f = f * 10 + (i < frac.size() ? frac[i] - '0' : 0);
    const int64_t v = w * 1000000 + f;
    return neg ? -v : v;
}

int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

enum class TsForm { date_only, utc_z, utc_z_frac, plus, minus, offset_frac };

struct Ts {
    int64_t micros;  // UTC
    TsForm form;
};

int fixed2(std::string_view s, size_t at) {
    if (at + 2 > s.size() || !all_digits(s.substr(at, 2))) return -1;
    return (s[at] - '0') * 10 + (s[at + 1] - '0');
}

// The accepted timestamp forms, calendar-checked; returns the UTC instant and the form.
std::optional<Ts> parse_ts(std::string_view s) {
    if (s.size() < 10 || s[4] != '-' || s[7] != '-' || !all_digits(s.substr(0, 4))) {
        return std::nullopt;
    }
    const int64_t y = std::stoi(std::string(s.substr(0, 4)));
    const int mo = fixed2(s, 5);
    const int d = fixed2(s, 8);
    static constexpr int kMonthDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mo < 1 || mo > 12 || d < 1 || d > kMonthDays[mo - 1]) return std::nullopt;
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo == 2 && d == 29 && !leap) return std::nullopt;
    const int64_t day_secs = days_from_civil(y, mo, d) * 86400;
    if (s.size() == 10) return Ts{day_secs * 1000000, TsForm::date_only};
    if (s.size() < 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':') return std::nullopt;
    const int h = fixed2(s, 11);
    const int mi = fixed2(s, 14);
    const int se = fixed2(s, 17);
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) return std::nullopt;
    size_t i = 19;
    int64_t frac = 0;
    bool has_frac = false;
    if (s[i] == '.') {
        has_frac = true;
        ++i;
        size_t digits = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            frac = frac * 10 + (s[i] - '0');
            ++i;
            ++digits;
        }
        if (digits == 0 || digits > 6) return std::nullopt;
        for (; digits < 6; ++digits) frac *= 10;
    }
    const int64_t local = (day_secs + h * 3600 + mi * 60 + se) * 1000000 + frac;
    const std::string_view zone = s.substr(i);
    if (zone == "Z") return Ts{local, has_frac ? TsForm::utc_z_frac : TsForm::utc_z};
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':') {
        return std::nullopt;
    }
    const int oh = fixed2(zone, 1);
    const int om = fixed2(zone, 4);
    if (oh < 0 || oh > 14 || om < 0 || om > 59) return std::nullopt;
    const int64_t offset = (oh * 3600 + om * 60) * int64_t{1000000};
    const bool plus = zone[0] == '+';
    const TsForm form = has_frac ? TsForm::offset_frac : plus ? TsForm::plus : TsForm::minus;
    return Ts{plus ? local - offset : local + offset, form};
}

constexpr int64_t kRangeStart = int64_t{1698796800} * 1000000;  // 2023-11-01T00:00:00Z
constexpr int64_t kRangeEnd = int64_t{1793491200} * 1000000;    // 2026-11-01T00:00:00Z

const std::string kSalesHeader =
    "order,timestamp,customer,item,price,quantity,s_channel,i_store,f_discount,d_first_seen";
const std::string kCatalogHeader = "item,category,title,brand,s_color";

struct SalesLine {
    std::string order;
    Ts ts;
    uint64_t customer;
    std::string item;
    int64_t price;
    std::optional<int64_t> quantity;  // nullopt: missing
    std::string channel;
    std::string store;
    std::string discount;
    std::string first_seen;
};

// Parses and validates a sales file against the v1 rules; any invalid value fails the test.
std::vector<SalesLine> parse_sales(const std::string& text) {
    const std::vector<std::string> lines = lines_of(text);
    EXPECT_FALSE(lines.empty());
    if (lines.empty()) return {};
    EXPECT_EQ(lines[0], kSalesHeader);
    std::vector<SalesLine> out;
    out.reserve(lines.size());
    for (size_t n = 1; n < lines.size(); ++n) {
        const std::string& line = lines[n];
        const std::vector<std::string> f = split_csv(line);
        if (f.size() != 10) {
            ADD_FAILURE() << "line " << n + 1 << " has " << f.size() << " fields: " << line;
            continue;
        }
        SCOPED_TRACE("line " + std::to_string(n + 1) + ": " + line);
        SalesLine s;
        s.order = f[0];
        EXPECT_GE(s.order.size(), 1u);
        EXPECT_LE(s.order.size(), 64u);
        const auto ts = parse_ts(f[1]);
        EXPECT_TRUE(ts.has_value());
        if (!ts) continue;
        s.ts = *ts;
        EXPECT_GE(s.ts.micros, kRangeStart);
        EXPECT_LT(s.ts.micros, kRangeEnd);
        const auto customer = parse_u64(f[2]);
        EXPECT_TRUE(customer.has_value());
        s.customer = customer.value_or(0);
        s.item = f[3];
        EXPECT_GE(s.item.size(), 1u);
        EXPECT_LE(s.item.size(), 128u);
        const auto price = parse_decimal(f[4]);
        EXPECT_TRUE(price.has_value());
        s.price = price.value_or(0);
        if (!f[5].empty()) {
            s.quantity = parse_decimal(f[5]);
            EXPECT_TRUE(s.quantity.has_value());
        }
        s.channel = f[6];
        EXPECT_LE(s.channel.size(), 256u);
        s.store = f[7];
        if (!s.store.empty()) {
            EXPECT_TRUE(parse_i64(s.store).has_value());
        }
        s.discount = f[8];
        if (!s.discount.empty()) {
            EXPECT_TRUE(parse_decimal(s.discount).has_value());
        }
        s.first_seen = f[9];
        if (!s.first_seen.empty()) {
            EXPECT_TRUE(parse_ts(s.first_seen).has_value());
        }
        // No email-like values anywhere (the personal data guard would refuse the file).
        EXPECT_EQ(line.find('@'), std::string::npos);
        out.push_back(std::move(s));
    }
    return out;
}

struct Order {
    std::vector<const SalesLine*> lines;
    int64_t net = 0;
};

// Orders keyed by (customer, order id), as the spec identifies them.
std::map<std::pair<uint64_t, std::string>, Order> group_orders(const std::vector<SalesLine>& ls) {
    std::map<std::pair<uint64_t, std::string>, Order> orders;
    for (const SalesLine& l : ls) {
        Order& o = orders[{l.customer, l.order}];
        o.lines.push_back(&l);
        o.net += l.price;
    }
    return orders;
}

// ---------------------------------------------------------------------------------------------

TEST(GeneratorSales, HeaderAndExactRowCount) {
    for (uint64_t rows : {uint64_t{0}, uint64_t{1}, uint64_t{2}, uint64_t{7}, uint64_t{4999}}) {
        const std::string text = sales(rows, 50, 3);
        const std::vector<std::string> lines = lines_of(text);
        ASSERT_EQ(lines.size(), rows + 1) << "rows=" << rows;
        EXPECT_EQ(lines[0], kSalesHeader);
        for (size_t i = 1; i < lines.size(); ++i) EXPECT_FALSE(lines[i].empty());
    }
}

TEST(GeneratorSales, DeterministicPerOptions) {
    const std::string a = sales(3000, 200, 42);
    EXPECT_EQ(a, sales(3000, 200, 42));
    EXPECT_NE(a, sales(3000, 200, 43));
    EXPECT_NE(a, sales(3000, 201, 42));
    EXPECT_EQ(catalog(3000, 200, 42), catalog(3000, 200, 42));
    EXPECT_NE(catalog(3000, 200, 42), catalog(3000, 200, 43));
}

// Pins the exact bytes, so that a change of platform, compiler or standard library (or an
// accidental change to the generator) that alters the output is caught. If the generator is
// changed on purpose, update the expected values.
TEST(GeneratorSales, SameBytesEverywhere) {
    auto fnv1a = [](const std::string& s) {
        uint64_t h = 0xcbf29ce484222325ULL;
        for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
        return h;
    };
    const std::string text = sales(12, 10, 1);
    const std::vector<std::string> lines = lines_of(text);
    ASSERT_EQ(lines.size(), 13u);
    EXPECT_EQ(lines[1],
              "MP-000000137785,2023-11-01T00:05:27Z,18446744073709551615,AP-569125,179.99,1,"
              "marketplace,502,0.1,2025-04-08");
    EXPECT_EQ(fnv1a(text), 7773498852672219728ULL);
    EXPECT_EQ(fnv1a(sales(20000, 1000, 7)), 3052320256871639429ULL);
    EXPECT_EQ(fnv1a(catalog(20000, 1000, 7)), 14415789537521381527ULL);
}

TEST(GeneratorSales, EveryValueValid) {
    for (uint64_t seed : {uint64_t{1}, uint64_t{2}, uint64_t{99}}) {
        const std::vector<SalesLine> ls = parse_sales(sales(5000, 300, seed));
        EXPECT_EQ(ls.size(), 5000u);
        for (const SalesLine& l : ls) {
            // Returns and refunds carry a negative quantity and price together.
            if (l.quantity && *l.quantity < 0) {
                EXPECT_LT(l.price, 0) << l.order;
            }
            if (l.price < 0) {
                ASSERT_TRUE(l.quantity.has_value()) << l.order;
                EXPECT_LT(*l.quantity, 0) << l.order;
            }
        }
    }
}

TEST(GeneratorSales, HasWhatRealDataHas) {
    const std::string text = sales(20000, 1000, 7);
    const std::vector<SalesLine> ls = parse_sales(text);
    ASSERT_EQ(ls.size(), 20000u);
    const auto orders = group_orders(ls);

    size_t multi_line = 0, max_lines = 0, spread_in_minutes = 0, returns = 0, full_refunds = 0,
           full_refunds_of_several_lines = 0, zero_total = 0;
    for (const auto& [key, o] : orders) {
        EXPECT_LE(o.lines.size(), 5u) << key.second;
        max_lines = std::max(max_lines, o.lines.size());
        if (o.lines.size() >= 2) ++multi_line;
        int64_t first = o.lines[0]->ts.micros;
        for (const SalesLine* l : o.lines) first = std::min(first, l->ts.micros);
        // Lines of one checkout at slightly different times: all positive, seconds to minutes
        // between the first and the last.
        bool all_positive = true;
        int64_t last = first;
        for (const SalesLine* l : o.lines) {
            all_positive = all_positive && l->price > 0;
            last = std::max(last, l->ts.micros);
        }
        if (all_positive && last - first >= 1000000 && last - first < int64_t{3600} * 1000000) {
            ++spread_in_minutes;
        }
        bool has_later_return = false, all_zero = true;
        size_t positive = 0;
        for (const SalesLine* l : o.lines) {
            positive += l->price > 0;
            all_zero = all_zero && l->price == 0;
            // Returns come back days later, not in the same checkout.
            const bool days_later = l->ts.micros >= first + int64_t{86400} * 1000000;
            if (l->price < 0 && l->quantity && *l->quantity < 0 && days_later) {
                has_later_return = true;
            }
        }
        if (positive > 0 && has_later_return) {
            ++returns;
            if (o.net == 0) ++full_refunds;
            if (o.net == 0 && positive >= 2) ++full_refunds_of_several_lines;
        }
        if (all_zero) ++zero_total;
    }
    EXPECT_GT(multi_line, 1000u);
    EXPECT_EQ(max_lines, 5u);
    EXPECT_GT(spread_in_minutes, 100u);
    EXPECT_GT(returns, 100u);
    EXPECT_GT(full_refunds, 20u);
    EXPECT_GT(full_refunds_of_several_lines, 10u);
    EXPECT_LT(full_refunds, returns);  // partial returns too, not only full refunds
    EXPECT_GT(zero_total, 20u);

    // The same order id under two different customers.
    std::map<std::string, std::set<uint64_t>> customers_of_order;
    for (const SalesLine& l : ls) customers_of_order[l.order].insert(l.customer);
    size_t shared_ids = 0;
    for (const auto& [id, cs] : customers_of_order) shared_ids += cs.size() >= 2;
    EXPECT_GT(shared_ids, 0u);

    // Customer ids across the whole unsigned range.
    std::set<uint64_t> customers;
    for (const SalesLine& l : ls) customers.insert(l.customer);
    EXPECT_EQ(customers.count(kTwo63), 1u);
    EXPECT_EQ(customers.count(kMaxU64), 1u);
    size_t small = 0, high = 0;
    for (uint64_t c : customers) {
        small += c < 1000000;
        high += c > kTwo63;
    }
    EXPECT_GT(small, 100u);
    EXPECT_GT(high, 100u);

    // Every timestamp form.
    std::map<TsForm, size_t> forms;
    for (const SalesLine& l : ls) ++forms[l.ts.form];
    for (TsForm f : {TsForm::date_only, TsForm::utc_z, TsForm::utc_z_frac, TsForm::plus,
                     TsForm::minus, TsForm::offset_frac}) {
        EXPECT_GT(forms[f], 50u) << "form " << static_cast<int>(f);
    }
    // Spread over the three years, the last months included.
    int64_t lo = kRangeEnd, hi = kRangeStart;
    for (const SalesLine& l : ls) {
        lo = std::min(lo, l.ts.micros);
        hi = std::max(hi, l.ts.micros);
    }
    EXPECT_LT(lo, kRangeStart + int64_t{7} * 86400 * 1000000);
    EXPECT_GT(hi, kRangeEnd - int64_t{60} * 86400 * 1000000);

    // Each custom type present, and sometimes missing; quantity sometimes missing too.
    size_t channel = 0, store = 0, discount = 0, first_seen = 0, quantity = 0;
    size_t negative_store = 0, six_decimals = 0, date_first_seen = 0, time_first_seen = 0;
    for (const SalesLine& l : ls) {
        channel += !l.channel.empty();
        store += !l.store.empty();
        discount += !l.discount.empty();
        first_seen += !l.first_seen.empty();
        quantity += l.quantity.has_value();
        negative_store += l.store == "-1";
        six_decimals += l.price % 10 != 0;
        date_first_seen += l.first_seen.size() == 10;
        time_first_seen += l.first_seen.size() > 10;
    }
    for (size_t present : {channel, store, discount, first_seen, quantity}) {
        EXPECT_GT(present, ls.size() / 2);
        EXPECT_LT(present, ls.size());
    }
    EXPECT_GT(negative_store, 0u);
    EXPECT_GT(six_decimals, 100u);  // prices using the 6th decimal place
    EXPECT_GT(date_first_seen, 0u);
    EXPECT_GT(time_first_seen, 0u);

    // A value holding the delimiter, one with doubled quotes, and non-ASCII text.
    std::set<std::string> channels;
    for (const SalesLine& l : ls) channels.insert(l.channel);
    EXPECT_EQ(channels.count("web, mobile"), 1u);
    EXPECT_EQ(channels.count("say \"hi\""), 1u);
    EXPECT_EQ(channels.count("boutique \xC3\xA9t\xC3\xA9"), 1u);
    EXPECT_NE(text.find(",\"web, mobile\","), std::string::npos);
    EXPECT_NE(text.find(",\"say \"\"hi\"\"\","), std::string::npos);
}

TEST(GeneratorSales, UsesTheWholeCustomerPool) {
    // With enough orders every pool id is used: exactly min(M, ...) distinct customers.
    for (uint64_t m : {uint64_t{1}, uint64_t{2}, uint64_t{1000}, uint64_t{5000}}) {
        const std::vector<SalesLine> ls = parse_sales(sales(20000, m, 11));
        std::set<uint64_t> customers;
        for (const SalesLine& l : ls) customers.insert(l.customer);
        EXPECT_EQ(customers.size(), m) << "M=" << m;
    }
    // A pool larger than the file: most orders are first orders, the rest repeat buyers.
    const std::vector<SalesLine> ls = parse_sales(sales(20000, 1000000, 11));
    std::set<uint64_t> customers;
    for (const SalesLine& l : ls) customers.insert(l.customer);
    const size_t orders = group_orders(ls).size();
    EXPECT_GT(customers.size(), orders * 6 / 10);
    EXPECT_LT(customers.size(), orders);
}

// Memory independent of the row count: output reaches the stream in bounded chunks as it is
// produced, never as one buffer holding the file.
TEST(GeneratorSales, StreamsInBoundedChunks) {
    class Counting : public std::streambuf {
    public:
        size_t total = 0, largest = 0, writes = 0;

    protected:
        std::streamsize xsputn(const char*, std::streamsize n) override {
            total += static_cast<size_t>(n);
            largest = std::max(largest, static_cast<size_t>(n));
            ++writes;
            return n;
        }
        int_type overflow(int_type c) override {
            ++total;
            return c;
        }
    };
    Counting buf;
    std::ostream out(&buf);
    generate_sales({200000, 5000, 5}, out);
    EXPECT_GT(buf.total, size_t{10} << 20);
    EXPECT_LE(buf.largest, size_t{256} << 10);
    EXPECT_GT(buf.writes, 40u);
}

// ---------------------------------------------------------------------------------------------

TEST(GeneratorCatalog, ShapeAndCategories) {
    const std::vector<std::string> lines = lines_of(catalog(20000, 1000, 7));
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines[0], kCatalogHeader);
    std::set<std::string> items;
    size_t multi_level = 0, multiple_paths = 0, spaced = 0, quoted_delim = 0, doubled_quote = 0;
    for (size_t n = 1; n < lines.size(); ++n) {
        SCOPED_TRACE(lines[n]);
        std::vector<bool> quoted;
        const std::vector<std::string> f = split_csv(lines[n], &quoted);
        ASSERT_EQ(f.size(), 5u);
        EXPECT_TRUE(items.insert(f[0]).second) << "duplicate item " << f[0];
        EXPECT_FALSE(f[1].empty());
        EXPECT_EQ(lines[n].find('@'), std::string::npos);
        // Every category path is non-empty levels once spaces around separators are trimmed.
        std::string category = f[1];
        std::string level;
        for (size_t i = 0; i <= category.size(); ++i) {
            if (i == category.size() || category[i] == '>' || category[i] == '|') {
                const size_t b = level.find_first_not_of(' ');
                EXPECT_NE(b, std::string::npos) << "empty level in " << category;
                level.clear();
            } else {
                level += category[i];
            }
        }
        multi_level += category.find('>') != std::string::npos;
        multiple_paths += category.find('|') != std::string::npos;
        spaced += lines[n].find(" > ") != std::string::npos;
        if (quoted[2] && f[2].find(',') != std::string::npos) ++quoted_delim;
        if (quoted[2] && f[2].find('"') != std::string::npos) ++doubled_quote;
    }
    // Items pool: max(50, rows/100) = 200, a few left out.
    EXPECT_GT(items.size(), 170u);
    EXPECT_LT(items.size(), 200u);
    EXPECT_GT(multi_level, 50u);
    EXPECT_GT(multiple_paths, 20u);
    EXPECT_GT(spaced, 5u);
    EXPECT_GT(quoted_delim, 0u);
    EXPECT_GT(doubled_quote, 0u);
}

TEST(GeneratorCatalog, SomeSoldItemsAreMissing) {
    for (uint64_t seed : {uint64_t{1}, uint64_t{7}, uint64_t{12345}}) {
        std::set<std::string> listed;
        const std::vector<std::string> lines = lines_of(catalog(20000, 1000, seed));
        for (size_t n = 1; n < lines.size(); ++n) listed.insert(split_csv(lines[n])[0]);
        std::set<std::string> sold;
        for (const SalesLine& l : parse_sales(sales(20000, 1000, seed))) sold.insert(l.item);
        size_t missing = 0;
        for (const std::string& item : sold) missing += listed.count(item) == 0;
        EXPECT_GT(missing, 0u) << "seed " << seed;
        EXPECT_LT(missing * 10, sold.size()) << "seed " << seed;  // most sold items are listed
    }
}

TEST(GeneratorCatalog, SmallFilesStillHaveAPool) {
    const std::vector<std::string> lines = lines_of(catalog(10, 5, 1));
    // max(50, 10/100) = 50 items, some left out.
    EXPECT_GT(lines.size(), 40u);
    EXPECT_LE(lines.size(), 50u);
    // Capped at 10,000 items for big files.
    std::ostringstream big;
    generate_catalog({5000000, 1000, 1}, big);
    const std::vector<std::string> big_lines = lines_of(big.str());
    EXPECT_GT(big_lines.size(), 9000u);
    EXPECT_LE(big_lines.size(), 10000u);
}

}  // namespace
}  // namespace sightline::core
