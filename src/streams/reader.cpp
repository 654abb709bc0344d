#include <dynantic/streams/reader.hpp>

#include <dynantic/detail/table_context.hpp>

#include <algorithm>

namespace dynantic::detail {

namespace {

using Clock = std::chrono::steady_clock;

/** GetRecords returns at most 1,000 records. */
constexpr std::size_t max_get_records = 1000;
/** DescribeStream pages read in one discovery, at most (100 shards a page). */
constexpr std::size_t max_describe_pages = 1000;

const boost::json::string* string_at(const boost::json::object& o, std::string_view name) {
    const auto* v = o.if_contains(name);
    return v != nullptr && v->is_string() ? &v->get_string() : nullptr;
}

}  // namespace

ShardWalker::ShardWalker(Client client, std::string table, StreamReaderOptions options)
    : client_(std::move(client)), table_(std::move(table)), stream_arn_(std::move(options.stream_arn)), start_(options.start) {
    if (stream_arn_.empty()) {
        const boost::json::object described = describe_table(client_, table_);
        if (const auto* arn = string_at(described, "LatestStreamArn"); arn != nullptr && !arn->empty())
            stream_arn_ = std::string(*arn);
        const auto* spec = described.if_contains("StreamSpecification");
        const bool enabled = spec != nullptr && spec->is_object() && spec->get_object().contains("StreamEnabled") &&
                             spec->get_object().at("StreamEnabled") == true;
        if (stream_arn_.empty() || !enabled) {
            ErrorInfo info = detail::operation_context(Operation::DescribeTable, table_);
            info.message = "the table has no stream enabled (create it with CreateTableOptions::stream)";
            throw ValidationError(std::move(info));
        }
    }
    discover(true);
    if (start_ == StreamStart::latest) {
        // Fix the positions now, so that "latest" means "after the reader was made".
        for (Shard& s : shards_)
            if (!s.done && !s.closed) s.iterator = take_iterator(s);
    }
}

boost::json::object ShardWalker::call(Operation operation, const boost::json::object& body) const {
    return call_for_table(client_, operation, body, table_, CallOptions{.service = Service::streams});
}

[[noreturn]] static void invalid(Operation operation, const std::string& table, std::string message) {
    ErrorInfo info{std::string(to_string(operation)), table, {}, {}, 0, {}};
    info.message = std::move(message);
    throw Error(errc::invalid_response, std::move(info));
}

void ShardWalker::discover(bool first) {
    std::string start_after;
    for (std::size_t page = 0;; ++page) {
        if (page >= max_describe_pages)
            invalid(Operation::DescribeStream, table_, "more than " + std::to_string(max_describe_pages) + " pages of shards");
        boost::json::object body;
        body["StreamArn"] = stream_arn_;
        if (!start_after.empty()) body["ExclusiveStartShardId"] = start_after;
        const boost::json::object response = call(Operation::DescribeStream, body);
        const auto* desc = response.if_contains("StreamDescription");
        if (desc == nullptr || !desc->is_object()) invalid(Operation::DescribeStream, table_, "no StreamDescription object");
        const auto& d = desc->get_object();
        const auto* shards = d.if_contains("Shards");
        if (shards != nullptr && !shards->is_array()) invalid(Operation::DescribeStream, table_, "Shards is not an array");
        if (shards != nullptr) {
            for (const auto& v : shards->get_array()) {
                const auto* o = v.if_object();
                const auto* id = o != nullptr ? string_at(*o, "ShardId") : nullptr;
                if (id == nullptr || id->empty()) invalid(Operation::DescribeStream, table_, "a shard without a ShardId");
                if (std::any_of(shards_.begin(), shards_.end(), [&](const Shard& s) { return s.id == *id; })) {
                    // A shard seen open may have closed since.
                    for (Shard& s : shards_)
                        if (s.id == *id) {
                            if (const auto* r = o->if_contains("SequenceNumberRange"); r != nullptr && r->is_object())
                                if (r->get_object().contains("EndingSequenceNumber")) s.closed = true;
                        }
                    continue;
                }
                Shard s;
                s.id = std::string(*id);
                if (const auto* p = string_at(*o, "ParentShardId")) s.parent = std::string(*p);
                if (const auto* r = o->if_contains("SequenceNumberRange"); r != nullptr && r->is_object())
                    s.closed = r->get_object().contains("EndingSequenceNumber");
                s.start_type = "TRIM_HORIZON";
                shards_.push_back(std::move(s));
            }
        }
        const auto* last = string_at(d, "LastEvaluatedShardId");
        if (last == nullptr || last->empty()) break;
        if (*last == start_after) invalid(Operation::DescribeStream, table_, "LastEvaluatedShardId repeated");
        start_after = std::string(*last);
    }
    if (first && start_ == StreamStart::latest) {
        // Closed shards hold nothing newer than now; children of open ones appear later and are
        // read from their beginning.
        for (Shard& s : shards_) {
            if (s.closed) s.done = true;
            else s.start_type = "LATEST";
        }
    }
}

bool ShardWalker::parent_pending(const Shard& s) const {
    if (s.parent.empty()) return false;
    const auto p = std::find_if(shards_.begin(), shards_.end(), [&](const Shard& x) { return x.id == s.parent; });
    return p != shards_.end() && !p->done;
}

std::string ShardWalker::take_iterator(const Shard& s) const {
    boost::json::object body;
    body["StreamArn"] = stream_arn_;
    body["ShardId"] = s.id;
    if (!s.last_sequence.empty()) {
        body["ShardIteratorType"] = "AFTER_SEQUENCE_NUMBER";
        body["SequenceNumber"] = s.last_sequence;
    } else {
        body["ShardIteratorType"] = s.start_type;
    }
    const boost::json::object response = call(Operation::GetShardIterator, body);
    const auto* it = string_at(response, "ShardIterator");
    if (it == nullptr || it->empty()) invalid(Operation::GetShardIterator, table_, "no ShardIterator for shard " + s.id);
    return std::string(*it);
}

bool ShardWalker::read_shard(Shard& s, std::vector<boost::json::object>& out, std::size_t max_records,
                             Clock::time_point deadline, bool& stopped) {
    bool renewed = false;
    for (;;) {
        if (max_records != 0 && out.size() >= max_records) {
            stopped = true;
            return false;
        }
        if (deadline != Clock::time_point{} && Clock::now() >= deadline) {
            stopped = true;
            return false;
        }
        if (s.iterator.empty()) s.iterator = take_iterator(s);
        boost::json::object body;
        body["ShardIterator"] = s.iterator;
        std::size_t limit = max_get_records;
        if (max_records != 0) limit = std::min(limit, max_records - out.size());
        body["Limit"] = limit;
        boost::json::object response;
        try {
            response = call(Operation::GetRecords, body);
        } catch (const Error& e) {
            // Iterators live 15 minutes: take a new one at the same position, once.
            if (e.aws_code() != "ExpiredIteratorException" || renewed) throw;
            renewed = true;
            s.iterator.clear();
            continue;
        }
        const auto* records = response.if_contains("Records");
        if (records == nullptr || !records->is_array()) invalid(Operation::GetRecords, table_, "Records is missing or not an array");
        const auto& list = records->get_array();
        if (list.size() > limit) invalid(Operation::GetRecords, table_, "more records than the Limit asked for");
        for (const auto& r : list) {
            if (!r.is_object()) invalid(Operation::GetRecords, table_, "a record is not an object");
            out.push_back(r.get_object());
            if (const auto* d = r.get_object().if_contains("dynamodb"); d != nullptr && d->is_object())
                if (const auto* seq = string_at(d->get_object(), "SequenceNumber")) s.last_sequence = std::string(*seq);
        }
        const auto* next = response.if_contains("NextShardIterator");
        if (next == nullptr || next->is_null()) {
            s.done = true;   // a closed shard read to its end
            s.iterator.clear();
            return true;
        }
        if (!next->is_string() || next->get_string().empty())
            invalid(Operation::GetRecords, table_, "NextShardIterator is not a string");
        s.iterator = std::string(next->get_string());
        // An open shard with nothing more is read up to its present end; a closed one goes on
        // until GetRecords gives no NextShardIterator.
        if (list.empty() && !s.closed) return true;
    }
}

bool ShardWalker::read(std::vector<boost::json::object>& out, const StreamReadOptions& options) {
    const Clock::time_point deadline =
        options.time_limit.count() > 0 ? Clock::now() + options.time_limit : Clock::time_point{};
    const std::size_t base = out.size();
    const std::size_t max_records = options.max_records == 0 ? 0 : base + options.max_records;
    const std::vector<Shard> saved = shards_;
    try {
        discover(false);
        bool stopped = false;
        // Sweep until no shard becomes readable: a parent read to its end frees its children.
        for (bool progress = true; progress && !stopped;) {
            progress = false;
            for (std::size_t i = 0; i < shards_.size() && !stopped; ++i) {
                if (shards_[i].done || parent_pending(shards_[i])) continue;
                read_shard(shards_[i], out, max_records, deadline, stopped);
                if (shards_[i].done) progress = true;
            }
        }
        if (stopped) return false;
        // Shards whose parent is still being read wait for a later read.
        return std::none_of(shards_.begin(), shards_.end(), [&](const Shard& s) { return !s.done && parent_pending(s); });
    } catch (...) {
        shards_ = saved;   // records read in this call are read again next time
        out.resize(base);
        throw;
    }
}

}  // namespace dynantic::detail
