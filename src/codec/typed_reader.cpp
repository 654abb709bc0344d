// SPDX-License-Identifier: BSL-1.0
#include <dynantic/detail/typed_reader.hpp>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/value_stack.hpp>

#include <stdexcept>

namespace dynantic::detail {

namespace {

/** The first block of the arena a value read whole is built in; larger ones continue on the heap. */
constexpr std::size_t capture_block_size = 4096;

/** The type of an AttributeValue's key, or false for a key that names none. */
bool parse_type(std::string_view key, AttributeType& out) {
    using T = AttributeType;
    switch (key.size()) {
    case 1:
        switch (key[0]) {
        case 'S': out = T::S; return true;
        case 'N': out = T::N; return true;
        case 'B': out = T::B; return true;
        case 'M': out = T::M; return true;
        case 'L': out = T::L; return true;
        default: return false;
        }
    case 2:
        if (key[1] != 'S') return false;
        switch (key[0]) {
        case 'S': out = T::SS; return true;
        case 'N': out = T::NS; return true;
        case 'B': out = T::BS; return true;
        default: return false;
        }
    case 4:
        if (key == "BOOL") out = T::BOOL;
        else if (key == "NULL") out = T::NUL;
        else return false;
        return true;
    default: return false;
    }
}

}  // namespace

/** Where a value read whole is built. */
struct TypedItemReader::Capture {
    std::unique_ptr<unsigned char[]> block{new unsigned char[capture_block_size]};
    std::optional<boost::json::monotonic_resource> arena;
    boost::json::value_stack stack;

    void begin() {
        arena.emplace(block.get(), capture_block_size);
        stack.reset(boost::json::storage_ptr(&*arena));
    }
};

TypedItemReader::TypedItemReader(Slot (*new_item)(void*), void* context)
    : new_item_(new_item), context_(context) {}

TypedItemReader::~TypedItemReader() = default;

void TypedItemReader::begin_item() {
    depth_ = 0;
    capture_depth_ = 0;
    skip_depth_ = 0;
    skip_next_ = false;
    root_seen_ = 0;
    root_ = new_item_(context_);
}

TypedItemReader::Attribute TypedItemReader::attribute(std::string_view name) {
    const Slot slot = root_.ops->member(root_.target, name, root_seen_);
    if (slot.ops == nullptr) return Attribute::skip;
    if (slot.ops == &reject_ops || !push(slot)) return Attribute::stop;
    return Attribute::read;
}

void TypedItemReader::apply(std::string_view name, const boost::json::value& av) {
    const Slot slot = root_.ops->member(root_.target, name, root_seen_);
    if (slot.ops == nullptr || slot.ops == &reject_ops) throw std::invalid_argument("an unexpected captured attribute");
    slot.ops->assign(slot.target, av);
}

bool TypedItemReader::push(Slot slot) {
    if (depth_ == max_depth) return false;
    frames_[depth_++] = Frame{slot};
    return true;
}

/** A value event while an unknown member's value is skipped, or is about to be: true when the
    event is consumed by the skipping. */
bool TypedItemReader::skipped_value(bool container) {
    if (skip_next_) {
        skip_next_ = false;
        if (container) skip_depth_ = 1;
        return true;
    }
    if (skip_depth_ > 0) {
        if (container) ++skip_depth_;
        return true;
    }
    return false;
}

/** A `{` or `[` taken by the skipping of an unknown member or by a value read whole. */
bool TypedItemReader::passed_container() {
    if (skipped_value(true)) return true;
    if (capture_depth_ == 0) return false;
    ++capture_depth_;
    return true;
}

bool TypedItemReader::object_begin() {
    if (passed_container()) return true;
    if (depth_ == 0) return false;
    Frame* f = &top();
    if (f->state == Frame::State::list) {
        if (!push(f->slot.ops->element(f->slot.target))) return false;
        f = &top();
    }
    switch (f->state) {
    case Frame::State::start:
        if (f->slot.ops->whole) {   // the value is built until `capture_depth_` is back to 0
            capture_depth_ = 1;
            if (!capture_) capture_ = std::make_unique<Capture>();
            capture_->begin();
        } else {
            f->state = Frame::State::type;
        }
        return true;
    case Frame::State::payload:
        if (f->payload != Payload::map) return false;
        f->state = Frame::State::map;
        return true;
    default: return false;
    }
}

bool TypedItemReader::object_end(std::size_t members) {
    if (skip_depth_ > 0) {
        --skip_depth_;
        return true;
    }
    if (depth_ == 0) return false;
    Frame& f = top();
    if (capture_depth_ > 0) {
        capture_->stack.push_object(members);
        if (--capture_depth_ > 0) return true;
        const boost::json::value av = capture_->stack.release();
        f.slot.ops->assign(f.slot.target, av);
        --depth_;
        return true;
    }
    switch (f.state) {
    case Frame::State::map:
        if (skip_next_) return false;   // a key without a value cannot be: the parser checks
        f.state = Frame::State::done;
        return true;
    case Frame::State::done: --depth_; return true;
    default: return false;
    }
}

bool TypedItemReader::array_begin() {
    if (passed_container()) return true;
    if (depth_ == 0) return false;
    Frame& f = top();
    if (f.state != Frame::State::payload) return false;
    if (f.payload == Payload::strings) f.state = Frame::State::strings;
    else if (f.payload == Payload::list) f.state = Frame::State::list;
    else return false;
    return true;
}

bool TypedItemReader::array_end(std::size_t elements) {
    if (skip_depth_ > 0) {
        --skip_depth_;
        return true;
    }
    if (capture_depth_ > 0) {
        --capture_depth_;
        capture_->stack.push_array(elements);
        return true;
    }
    if (depth_ == 0) return false;
    Frame& f = top();
    if (f.state != Frame::State::strings && f.state != Frame::State::list) return false;
    f.state = Frame::State::done;
    return true;
}

bool TypedItemReader::key(std::string_view text) {
    if (skip_depth_ > 0) return true;
    if (capture_depth_ > 0) {
        capture_->stack.push_key(text);
        return true;
    }
    if (depth_ == 0) return false;
    Frame& f = top();
    if (f.state == Frame::State::type) {
        AttributeType type{};
        if (!parse_type(text, type)) return false;
        f.payload = f.slot.ops->open(f.slot, type);
        f.state = Frame::State::payload;
        return f.payload != Payload::reject;
    }
    if (f.state != Frame::State::map) return false;
    const Slot slot = f.slot.ops->member(f.slot.target, text, f.seen);
    if (slot.ops == &reject_ops) return false;
    if (slot.ops == nullptr) {
        skip_next_ = true;
        return true;
    }
    return push(slot);
}

bool TypedItemReader::string(std::string_view text) {
    if (skipped_value(false)) return true;
    if (capture_depth_ > 0) {
        capture_->stack.push_string(text);
        return true;
    }
    if (depth_ == 0) return false;
    Frame& f = top();
    if (f.state == Frame::State::strings) return f.slot.ops->string(f.slot.target, text);
    if (f.state != Frame::State::payload || f.payload != Payload::string) return false;
    f.state = Frame::State::done;
    return f.slot.ops->string(f.slot.target, text);
}

bool TypedItemReader::boolean(bool value) {
    if (skipped_value(false)) return true;
    if (capture_depth_ > 0) {
        capture_->stack.push_bool(value);
        return true;
    }
    if (depth_ == 0) return false;
    Frame& f = top();
    if (f.state != Frame::State::payload || f.payload != Payload::boolean) return false;
    f.state = Frame::State::done;
    return f.slot.ops->boolean(f.slot.target, value);
}

template <class Push>
bool TypedItemReader::bare_value(Push push) {
    if (skipped_value(false)) return true;
    if (capture_depth_ == 0) return false;
    push(capture_->stack);
    return true;
}

bool TypedItemReader::number(std::int64_t value) {
    return bare_value([&](boost::json::value_stack& st) { st.push_int64(value); });
}
bool TypedItemReader::number(std::uint64_t value) {
    return bare_value([&](boost::json::value_stack& st) { st.push_uint64(value); });
}
bool TypedItemReader::number(double value) {
    return bare_value([&](boost::json::value_stack& st) { st.push_double(value); });
}
bool TypedItemReader::null() {
    return bare_value([](boost::json::value_stack& st) { st.push_null(); });
}

}  // namespace dynantic::detail
