// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    `op::Update<Model>`: one UpdateItem as a value (key, SET/REMOVE/ADD/DELETE actions,
    conditions, options), built without a client, kept, copied, and run by `Table` or handed to a
    transaction; its pure rendering and decoding. The actions are checked against `Model` at
    compile time, with errors that state the fix.

    @code
    auto bump = dynantic::op::Update<Account>("acc-1").add(&Account::balance, 10);
    dy::transact_write(client, {bump, ...});            // an Update action
    accounts.run(bump);                                 // or an UpdateItem of its own
    @endcode
    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html */

#include <dynantic/detail/capacity.hpp>
#include <dynantic/detail/entity.hpp>
#include <dynantic/detail/projection.hpp>
#include <dynantic/detail/response.hpp>
#include <dynantic/expressions/compile.hpp>
#include <dynantic/expressions/field.hpp>
#include <dynantic/expressions/update.hpp>
#include <dynantic/operations/combine.hpp>
#include <dynantic/operations/keys.hpp>
#include <dynantic/operations/render.hpp>
#include <dynantic/operations/version.hpp>
#include <dynantic/request.hpp>

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace dynantic {

/** What an UpdateItem returned.
    @code
    struct Counters { std::optional<int> login_count; std::optional<Status> status; };   // a view of User
    BOOST_DESCRIBE_STRUCT(Counters, (), (login_count, status))
    auto r = users.update("u1").add(&User::login_count, 1).returning(dy::ReturnValues::updated_new).execute();
    Counters now = r.as<Counters>();      // login_count set, status nullopt (not updated)
    @endcode */
template <class Model>
struct UpdateResult {
    /** The whole item, for `ReturnValues::all_old` / `all_new` (when it existed). */
    std::optional<typename detail::Entity<Model>::value_type> item;
    /** The returned attributes as DynamoDB sent them (any `ReturnValues`; empty for none). */
    boost::json::object attributes;
    /** The table the update ran on (named in decoding errors). */
    std::string table;

    /** The returned attributes as `View`, a view of the model (view.hpp) whose members are all
        `std::optional`: a member holds a value exactly when its attribute was returned
        (`updated_old` / `updated_new`: the attributes the update changed; `all_old` /
        `all_new`: every attribute of the item). Attribute names follow the model's renames;
        no attribute is required (UPDATED_* never returns the keys).
        @throws DecodeError naming the attribute when a returned value does not fit. */
    template <class View>
    View as() const {
        static_assert(detail::check_view<Model, View>());
        static_assert(detail::view_members_optional<View>(),
                      "dynantic: UpdateResult::as<View>() reads the attributes an update returned, which may be any "
                      "subset: declare every member of the view std::optional");
        return detail::ReadAs<Model, View>::decode_view(attributes, detail::operation_context(Operation::UpdateItem, table), false);
    }

    /** The capacity the update consumed, when asked (`WriteOptions::return_consumed_capacity`,
        `return_consumed_capacity()`). */
    std::optional<ConsumedCapacity> capacity{};
};

namespace detail {

/** What one UpdateItem holds: the key, the actions, the condition and the options. */
template <class Model>
struct UpdateData {
    using key_type = typename ModelKey<Model>::key_type;
    UpdateData(key_type k, Model* versioned) : key(std::move(k)), item(versioned) {}

    key_type key;
    /** `update_item`: the item whose version is checked and, once applied, incremented. */
    Model* item = nullptr;
    UpdateExpression expression;
    std::optional<Condition> condition;
    ReturnValues return_values = ReturnValues::none;
    WriteOptions options;
    /** False once an action would apply twice if resent (ADD of a number, `x + n`, ...). */
    bool idempotent = true;

    /** The actions sent: the builder's, plus the version's SET for a versioned model. */
    UpdateExpression full_expression() const {
        UpdateExpression e = expression;
        Versioning<Model>::add_update(e, item);
        return e;
    }
    /** The condition sent: the builder's, and the version condition of a versioned item. */
    std::optional<Condition> full_condition() const {
        std::optional<Condition> c = condition;
        if (item != nullptr) Versioning<Model>::add_condition(c, *item, options.check_version);
        return c;
    }

    /** The UpdateItem request for `table`; `context_operation` names the operation in errors.
        @throws ValidationError for no actions, overlapping paths, or an empty key value. */
    OperationRequest render(std::string_view table, Operation context_operation = Operation::UpdateItem) const {
        const ErrorInfo ctx = operation_context(context_operation, table);
        UpdateExpression e = full_expression();
        std::optional<Condition> c = full_condition();
        e.check(ctx);
        boost::json::object body;
        body["TableName"] = table;
        body["Key"] = ModelKey<Model>::encode_any(ctx, key);
        ExpressionContext names;
        std::string text;
        names.render(e, text);
        body["UpdateExpression"] = text;
        if (c) body["ConditionExpression"] = names.render(*c);
        names.apply(body);
        if (return_values != ReturnValues::none) body["ReturnValues"] = to_string(return_values);
        if (options.return_item_on_condition_failure) body["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD";
        add_return_consumed_capacity(body, options.return_consumed_capacity);
        return {Operation::UpdateItem, std::move(body)};
    }

    /** The result of an UpdateItem response: the item for `all_old`/`all_new`, the attributes.
        @throws DecodeError; Error (errc::invalid_response) when `Attributes` is not an object
                (the update was applied). */
    UpdateResult<Model> decode(const boost::json::object& response, std::string_view table) const {
        UpdateResult<Model> result;
        result.table = std::string(table);
        if (const auto* a = response.if_contains("Attributes")) {
            if (!a->is_object()) [[unlikely]]
                throw_invalid_response(operation_context(Operation::UpdateItem, table),
                                       "Attributes is " + std::string(json_kind(*a)) +
                                           ", not an object (the update was applied)");
            result.attributes = a->get_object();
            if (return_values == ReturnValues::all_new || return_values == ReturnValues::all_old)
                result.item = Entity<Model>::decode(result.attributes, operation_context(Operation::UpdateItem, table));
        }
        result.capacity = read_consumed_capacity(response, Operation::UpdateItem);
        return result;
    }
};

/** The update DSL (CRTP), shared by `op::Update`, `UpdateBuilder` (a value run by a table) and
    the transaction's `UpdateAction`: each call records one action and returns the derived
    object. `Derived::key_error_context()` names the operation and table of a refused action. */
template <class Derived, class Model>
class UpdateDsl {
    template <class T>
    using value_t = unwrap_optional_t<T>;

public:
    /** `SET field = :value` */
    template <class T, class V>
    Derived& set(T Model::*member, const V& value) { return set(field(member), value); }
    /** As above, with a typed field (`field(&Model::member, ...)`, nested members too). */
    template <class T, class V>
    Derived& set(const Field<Model, T>& f, const V& value) {
        static_assert(value_for<V, value_t<T>>,
                      "dynantic: set(field, value): the value does not fit the field's type; pass a value of the "
                      "field's type (floating point is not narrowed to an integer, nothing converts to bool)");
        check_not_key(f.path());
        data_.expression.set(f.path(), set_value(encode_value(static_cast<const value_t<T>&>(value))));
        return self();
    }
    /** `SET field = <expression>`: `field + n`, `if_not_exists(field, v)`, `list_append(...)`. */
    template <class T, class U>
        requires std::is_same_v<value_t<T>, value_t<U>>
    Derived& set(T Model::*member, const UpdateValue<U>& value) { return set(field(member), value); }
    /** As above, with a typed field (`field(&Model::member, ...)`, nested members too). */
    template <class T, class U>
        requires std::is_same_v<value_t<T>, value_t<U>>
    Derived& set(const Field<Model, T>& f, const UpdateValue<U>& value) {
        check_not_key(f.path());
        if (value.operand().kind != SetOperand::Kind::if_not_exists) data_.idempotent = false;
        data_.expression.set(f.path(), value.operand());
        return self();
    }
    /** `SET path = :value` on an untyped path. */
    template <class V>
    Derived& set(const Attr& a, const V& value) {
        check_not_key(a.path());
        data_.expression.set(a.path(), set_value(encode_value(value)));
        return self();
    }

    /** `ADD field :n` on a number field (creating it as n when absent), or `ADD field :set`
        (set union) on a set field. */
    template <class T, class V>
    Derived& add(T Model::*member, const V& value) { return add(field(member), value); }
    /** As above, with a typed field (`field(&Model::member, ...)`, nested members too). */
    template <class T, class V>
    Derived& add(const Field<Model, T>& f, const V& value) {
        static_assert(number_type<value_t<T>> || set_type<value_t<T>>,
                      "dynantic: add(field, value) is DynamoDB's ADD, for a number or a set field only: use "
                      "set(field, value) to replace a value of another type, or set(field, list_append(...)) "
                      "for a list");
        static_assert(value_for<V, value_t<T>>,
                      "dynantic: add(field, value): the value does not fit the field's type; pass a number "
                      "(of an integer type for an integer field) or a set of the field's element type");
        check_not_key(f.path());
        data_.idempotent = data_.idempotent && set_type<value_t<T>>;
        data_.expression.add(f.path(), encode_value(static_cast<const value_t<T>&>(value)));
        return self();
    }

    /** `REMOVE field` */
    template <class T>
    Derived& remove(T Model::*member) { return remove(field(member)); }
    /** As above, with a typed field (`field(&Model::member, ...)`, nested members too). */
    template <class T>
    Derived& remove(const Field<Model, T>& f) {
        check_not_key(f.path());
        data_.expression.remove(f.path());
        return self();
    }
    /** As above, with an untyped path (`attr("a.b")`). */
    Derived& remove(const Attr& a) {
        check_not_key(a.path());
        data_.expression.remove(a.path());
        return self();
    }

    /** `DELETE field :set`: removes the given elements from a set field. */
    template <class T, class V>
        requires set_type<value_t<T>> && value_for<V, value_t<T>>
    Derived& delete_elements(T Model::*member, const V& elements) { return delete_elements(field(member), elements); }
    /** As above, with a typed field (`field(&Model::member, ...)`, nested members too). */
    template <class T, class V>
        requires set_type<value_t<T>> && value_for<V, value_t<T>>
    Derived& delete_elements(const Field<Model, T>& f, const V& elements) {
        check_not_key(f.path());
        data_.expression.delete_elements(f.path(), encode_value(static_cast<const value_t<T>&>(elements)));
        return self();
    }

    /** Adds a condition (several are AND-combined). */
    template <class C>
    Derived& when(const C& condition) {
        static_assert(check_condition_model<C, Model>());
        and_into(data_.condition, condition);
        return self();
    }
    /** On a failed condition, carry the item in the error (ReturnValuesOnConditionCheckFailure). */
    Derived& return_item_on_condition_failure(bool on = true) {
        data_.options.return_item_on_condition_failure = on;
        return self();
    }
    /** For versioned models: skip the version condition (the version is still incremented). */
    Derived& skip_version_check() {
        data_.options.check_version = false;
        return self();
    }
    /** Ask for the consumed capacity (ReturnConsumedCapacity): `UpdateResult::capacity`. */
    Derived& return_consumed_capacity(ReturnConsumedCapacity level = ReturnConsumedCapacity::total) {
        data_.options.return_consumed_capacity = level;
        return self();
    }

    /// @cond INTERNAL
    /** The update described so far. */
    const UpdateData<Model>& data() const noexcept { return data_; }
    /// @endcond

protected:
    explicit UpdateDsl(UpdateData<Model> data) : data_(std::move(data)) {}
    Derived& self() noexcept { return static_cast<Derived&>(*this); }
    const Derived& self() const noexcept { return static_cast<const Derived&>(*this); }

    void check_not_key(const Path& path) const {
        const auto& first = path.elements().front();
        const auto* name = std::get_if<std::string>(&first);
        if (name == nullptr) return;
        constexpr KeyNames keys = ModelKey<Model>::names();
        if (*name == keys.partition || *name == keys.sort) {
            ErrorInfo info = self().key_error_context();
            info.message = "key attribute '" + *name + "' cannot be updated";
            throw ValidationError(std::move(info));
        }
    }

    UpdateData<Model> data_;
};

}  // namespace detail

namespace op {

/** An UpdateItem of the item with one key, as a value (see the file comment). */
template <class Model>
class Update : public detail::UpdateDsl<Update<Model>, Model> {
    using Base = detail::UpdateDsl<Update<Model>, Model>;
    friend Base;

public:
    using model_type = Model;                                           ///< the model updated
    using key_type = typename detail::ModelKey<Model>::key_type;        ///< the partition key, or a pair with the sort key
    /** The operation name. */
    static constexpr Operation operation = Operation::UpdateItem;

    /** An update of the item with `key` (the partition key, or a pair with the sort key). */
    explicit Update(key_type key) : Base(detail::UpdateData<Model>(std::move(key), nullptr)) {}
    /** The update described by another update front end (`UpdateBuilder`, `UpdateAction`). */
    explicit Update(detail::UpdateData<Model> data) : Base(std::move(data)) {}

    /** What to return (ReturnValues); default none. */
    Update& returning(ReturnValues r) {
        this->data_.return_values = r;
        return *this;
    }

    /** The UpdateItem request for `table` (the name sent, prefix included). Pure.
        @throws ValidationError for no actions, overlapping paths, or an empty key value. */
    OperationRequest render(std::string_view table) const { return this->data_.render(table); }
    /** The typed result of an UpdateItem response (see `UpdateResult`). */
    UpdateResult<Model> decode(const boost::json::object& response, std::string_view table) const {
        return this->data_.decode(response, table);
    }

private:
    ErrorInfo key_error_context() const {
        return detail::operation_context(operation, schema<Model>::value.name);
    }
};

}  // namespace op
}  // namespace dynantic
