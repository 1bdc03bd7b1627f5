#include "snapshot_file.hpp"

#include "as_of.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <random>
#include <stdexcept>

namespace sightline::evaluator_columnar {

namespace sp = sightline::plugin;

namespace {

constexpr char kMagic[8] = {'S', 'L', 'C', 'O', 'L', 'S', 'N', 'P'};

// --- writing -------------------------------------------------------------------------------

class Writer {
public:
    void u64(uint64_t v) { raw(&v, sizeof v); }
    void u32(uint32_t v) { raw(&v, sizeof v); }
    void raw(const void* p, size_t n) { out_.append(static_cast<const char*>(p), n); }
    void block(const void* p, size_t n) {
        u64(n);
        raw(p, n);
        out_.append((8 - n % 8) % 8, '\0');
    }
    template <typename T>
    void column(const Column<T>& c) {
        block(c.data(), c.size() * sizeof(T));
    }
    void dict(const StringDict& d) {
        column(d.bytes);
        column(d.offsets);
    }
    void packed(const PackedInts& p) {
        u64(static_cast<uint64_t>(p.base()));
        u64(p.scale());
        u64(p.width());
        u64(p.size());
        column(p.words());
    }
    std::string& bytes() { return out_; }

private:
    std::string out_;
};

// --- reading -------------------------------------------------------------------------------

struct Corrupt : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Reader {
public:
    Reader(const char* data, size_t size) : p_(data), end_(data + size) {}
    uint64_t u64() {
        uint64_t v;
        need(sizeof v);
        std::memcpy(&v, p_, sizeof v);
        p_ += sizeof v;
        return v;
    }
    std::pair<const char*, size_t> block() {
        const uint64_t n = u64();
        const uint64_t padded = n + (8 - n % 8) % 8;
        if (padded < n) throw Corrupt("block size overflows");
        need(padded);
        const char* start = p_;
        p_ += padded;
        return {start, static_cast<size_t>(n)};
    }
    template <typename T>
    Column<T> column() {
        const auto [data, bytes] = block();
        if (bytes % sizeof(T) != 0) throw Corrupt("column size is not a multiple of its type");
        return Column<T>(reinterpret_cast<const T*>(data), bytes / sizeof(T));
    }
    std::string text() {
        const auto [data, n] = block();
        return std::string(data, n);
    }
    StringDict dict() {
        StringDict d;
        d.bytes = column<char>();
        d.offsets = column<uint64_t>();
        if (d.offsets.empty()) {  // an empty dictionary (a numeric column has one)
            if (!d.bytes.empty()) throw Corrupt("dictionary without offsets");
            return d;
        }
        if (d.offsets[0] != 0) throw Corrupt("dictionary offsets do not start at 0");
        for (size_t i = 1; i < d.offsets.size(); ++i)
            if (d.offsets[i] < d.offsets[i - 1]) throw Corrupt("dictionary offsets decrease");
        if (d.offsets[d.offsets.size() - 1] != d.bytes.size())
            throw Corrupt("dictionary offsets do not end at its size");
        return d;
    }
    PackedInts packed() {
        const auto base = static_cast<int64_t>(u64());
        const uint64_t scale = u64(), width = u64(), size = u64();
        if (width > 8 || size > (uint64_t{1} << 40)) throw Corrupt("bad packed column");
        PackedInts p(base, scale, static_cast<uint32_t>(width), static_cast<size_t>(size),
                     column<uint64_t>());
        if (!p.valid()) throw Corrupt("bad packed column");
        return p;
    }
    bool at_end() const { return p_ == end_; }

private:
    void need(uint64_t n) const {
        if (n > static_cast<uint64_t>(end_ - p_)) throw Corrupt("the file is truncated");
    }
    const char* p_;
    const char* end_;
};

void expect(bool ok, const char* what) {
    if (!ok) throw Corrupt(what);
}

template <typename T>
void codes_below(const Column<T>& codes, size_t limit, const char* what) {
    for (T code : codes) expect(code < limit, what);
}

void codes_below(const PackedInts& codes, size_t limit, const char* what) {
    if (codes.size() == 0) return;
    const __int128 top = __int128(codes.base()) + __int128(codes.scale()) * codes.max_code();
    expect(codes.base() >= 0 && top < __int128(limit), what);
}

// Every code in range and every structure consistent: a file that passes its checksum but was
// written wrongly must not make an evaluation read out of bounds.
void check(const Snapshot& s) {
    const size_t lines = s.lines(), customers = s.customer_count();
    expect(s.price.size() == lines && s.order.size() == lines && s.item.size() == lines,
           "line columns differ in length");
    expect(s.max_lines <= lines && s.max_orders <= s.order_ids.size(), "counts out of range");
    expect(s.line_start.size() == customers + 1 && s.order_start.size() == customers + 1,
           "customer columns differ in length");
    expect(s.line_start[0] == 0 && s.line_start[customers] == lines, "line ranges do not cover");
    expect(s.order_start[0] == 0 && s.order_start[customers] == s.order_ids.size(),
           "order ranges do not cover");
    for (size_t c = 0; c < customers; ++c) {
        expect(s.line_start[c] < s.line_start[c + 1], "a customer without lines");
        expect(s.line_start[c + 1] - s.line_start[c] <= s.max_lines, "too many lines");
        expect(s.order_start[c] <= s.order_start[c + 1], "order ranges decrease");
        expect(c == 0 || s.customers[c - 1] < s.customers[c], "customers out of order");
        expect(s.order_start[c + 1] - s.order_start[c] <= s.max_orders, "too many orders");
    }
    Scratch times(s), orders(s);
    for (size_t c = 0; c < customers; ++c) {
        const int64_t count = s.order_start[c + 1] - s.order_start[c];
        const uint32_t b = s.line_start[c], e = s.line_start[c + 1];
        const int64_t* ts = times.load(s.ts, b, e);
        const int64_t* order = orders.load(s.order, b, e);
        int64_t seen = 0;
        for (uint32_t l = 0; l < e - b; ++l) {
            expect(l == 0 || ts[l - 1] <= ts[l], "lines out of time order");
            expect(order[l] >= 0 && order[l] <= seen && order[l] < count,
                   "order codes out of order");
            if (order[l] == seen) ++seen;
        }
    }
    codes_below(s.item, s.items.size(), "item code out of range");
    expect(s.item_path_start.size() == s.items.size() + 1 && s.item_path_start[0] == 0 &&
               s.item_path_start[s.items.size()] == s.item_paths.size(),
           "catalog ranges do not cover");
    for (size_t i = 0; i < s.items.size(); ++i)
        expect(s.item_path_start[i] <= s.item_path_start[i + 1], "catalog ranges decrease");
    codes_below(s.item_paths, s.paths.size(), "catalog path out of range");
    for (const CustomColumn& c : s.custom) {
        expect(c.present.size() == (lines + 63) / 64, "presence bitmap of the wrong size");
        expect(c.values.size() == lines, "custom values of the wrong length");
        if (c.is_text())
            codes_below(c.values, c.dict.size() ? c.dict.size() : 1, "custom code out of range");
    }
}

SnapshotPtr decode(std::shared_ptr<uint64_t[]> buffer, size_t size) {
    const char* data = reinterpret_cast<const char*>(buffer.get());
    expect(size >= 32, "the file is truncated");
    expect(std::memcmp(data, kMagic, sizeof kMagic) == 0, "not a snapshot file");
    uint32_t format;
    std::memcpy(&format, data + 8, sizeof format);
    if (format != kSnapshotFormat)
        throw Corrupt("format version " + std::to_string(format) + ", expected " +
                      std::to_string(kSnapshotFormat));
    uint64_t declared, sum;
    std::memcpy(&declared, data + 16, sizeof declared);
    expect(declared == size, "the file's size differs from its header (truncated?)");
    std::memcpy(&sum, data + size - 8, sizeof sum);
    expect(XXH3_64bits(data, size - 8) == sum, "checksum mismatch");

    auto s = std::make_shared<Snapshot>();
    Reader r(data + 24, size - 32);
    const std::string version = r.text();
    const uint64_t lines = r.u64(), customers = r.u64(), max_orders = r.u64(), max_lines = r.u64(),
                   custom = r.u64();
    s->customers = r.column<uint64_t>();
    s->line_start = r.column<uint32_t>();
    s->order_start = r.column<uint32_t>();
    s->ts = r.packed();
    s->price = r.packed();
    s->order = r.packed();
    s->item = r.packed();
    s->items = r.dict();
    s->order_ids = r.dict();
    s->paths = r.dict();
    s->item_path_start = r.column<uint32_t>();
    s->item_paths = r.column<uint32_t>();
    expect(custom < 100000, "too many custom columns");
    for (uint64_t k = 0; k < custom; ++k) {
        CustomColumn c;
        c.name = r.text();
        const uint64_t type = r.u64();
        expect(type <= static_cast<uint64_t>(sp::ValueType::timestamp), "unknown column type");
        c.type = static_cast<sp::ValueType>(type);
        c.values = r.packed();
        c.dict = r.dict();
        c.present = r.column<uint64_t>();
        s->custom.push_back(std::move(c));
    }
    expect(r.at_end(), "bytes after the last column");
    expect(s->lines() == lines && s->customer_count() == customers, "sizes differ from header");
    expect(max_orders <= UINT32_MAX && max_lines <= UINT32_MAX, "counts out of range");
    s->max_orders = static_cast<uint32_t>(max_orders);
    s->max_lines = static_cast<uint32_t>(max_lines);

    // "incarnation/removals/mark"; the incarnation may itself contain '/'.
    const size_t b = version.rfind('/');
    const size_t a =
        b == std::string::npos || b == 0 ? std::string::npos : version.rfind('/', b - 1);
    expect(a != std::string::npos && a > 0, "bad data version");
    try {
        s->version.incarnation = version.substr(0, a);
        s->version.removals = std::stoull(version.substr(a + 1, b - a - 1));
        s->version.mark = std::stoull(version.substr(b + 1));
    } catch (const std::exception&) {
        throw Corrupt("bad data version");
    }
    expect(s->version.text() == version, "bad data version");
    check(*s);
    s->buffer = std::move(buffer);
    s->buffer_bytes = size;
    return s;
}

std::string errno_text(const std::string& what, const std::string& path) {
    return what + " " + path + ": " + std::strerror(errno);
}

}  // namespace

std::string encode_snapshot(const Snapshot& s) {
    Writer w;
    w.raw(kMagic, sizeof kMagic);
    w.u32(kSnapshotFormat);
    w.u32(0);
    w.u64(0);  // the size, filled in below
    const std::string version = s.version.text();
    w.block(version.data(), version.size());
    w.u64(s.lines());
    w.u64(s.customer_count());
    w.u64(s.max_orders);
    w.u64(s.max_lines);
    w.u64(s.custom.size());
    w.column(s.customers);
    w.column(s.line_start);
    w.column(s.order_start);
    w.packed(s.ts);
    w.packed(s.price);
    w.packed(s.order);
    w.packed(s.item);
    w.dict(s.items);
    w.dict(s.order_ids);
    w.dict(s.paths);
    w.column(s.item_path_start);
    w.column(s.item_paths);
    for (const CustomColumn& c : s.custom) {
        w.block(c.name.data(), c.name.size());
        w.u64(static_cast<uint64_t>(c.type));
        w.packed(c.values);
        w.dict(c.dict);
        w.column(c.present);
    }
    std::string& out = w.bytes();
    const uint64_t size = out.size() + 8;
    std::memcpy(&out[16], &size, sizeof size);
    const uint64_t sum = XXH3_64bits(out.data(), out.size());
    w.u64(sum);
    return std::move(out);
}

SnapshotPtr read_snapshot_file(const std::string& path, std::string& why) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        why = errno == ENOENT ? "missing" : errno_text("cannot open", path);
        return nullptr;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        why = "not a regular file";
        return nullptr;
    }
    const auto size = static_cast<size_t>(st.st_size);
    // 8-byte aligned, so that columns can point into it.
    std::shared_ptr<uint64_t[]> buffer(new uint64_t[(size + 7) / 8 + 1]);
    size_t done = 0;
    char* data = reinterpret_cast<char*>(buffer.get());
    while (done < size) {
        const ssize_t n = ::read(fd, data + done, size - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += static_cast<size_t>(n);
    }
    ::close(fd);
    if (done != size) {
        why = "short read";
        return nullptr;
    }
    try {
        return decode(std::move(buffer), size);
    } catch (const Corrupt& e) {
        why = e.what();
        return nullptr;
    }
}

void write_snapshot_file(const std::string& path, const Snapshot& snapshot) {
    const std::string bytes = encode_snapshot(snapshot);
    const size_t slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
    static std::atomic<uint64_t> counter{0};
    std::random_device random;
    const std::string temp = path + ".tmp-" + std::to_string(::getpid()) + "-" +
                             std::to_string(counter++) + "-" + std::to_string(random());
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) throw sp::Error(errno_text("cannot create", temp));
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const std::string why = errno_text("cannot write", temp);
            ::close(fd);
            ::unlink(temp.c_str());
            throw sp::Error(why);
        }
        done += static_cast<size_t>(n);
    }
    const bool synced = ::fsync(fd) == 0;
    const bool closed = ::close(fd) == 0;
    if (!synced || !closed) {
        const std::string why = errno_text("cannot sync", temp);
        ::unlink(temp.c_str());
        throw sp::Error(why);
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        const std::string why = errno_text("cannot rename into", path);
        ::unlink(temp.c_str());
        throw sp::Error(why);
    }
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

}  // namespace sightline::evaluator_columnar
