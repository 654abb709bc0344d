// SPDX-License-Identifier: BSL-1.0
#include <dynantic/table.hpp>

#include <dynantic/detail/response.hpp>

#include <thread>

namespace dynantic::detail {

void check_key_value(const boost::json::value& av, std::string_view attribute, const ErrorInfo& context,
                     KeyRole role) {
    const AttributeType t = type_of(av);
    if (t != AttributeType::S && t != AttributeType::N && t != AttributeType::B) {
        ErrorInfo info = context;
        info.message = "key attribute '" + std::string(attribute) + "' must be S, N or B, not " +
                       std::string(to_string(t));
        throw ValidationError(std::move(info));
    }
    const auto& payload = av.get_object().begin()->value();
    if (payload.is_string() && payload.get_string().empty()) {
        ErrorInfo info = context;
        info.message = "key attribute '" + std::string(attribute) + "' must not be empty";
        throw ValidationError(std::move(info));
    }
    if (t == AttributeType::N || !payload.is_string()) return;
    const std::string_view text = payload.get_string();
    const std::size_t size = t == AttributeType::B ? base64_decoded_size(text) : text.size();
    const std::size_t limit = role == KeyRole::partition ? max_partition_key_size : max_sort_key_size;
    if (size > limit) {
        ErrorInfo info = context;
        info.message = "key attribute '" + std::string(attribute) + "' is " + std::to_string(size) + " bytes; a " +
                       (role == KeyRole::partition ? "partition" : "sort") + " key value is at most " +
                       std::to_string(limit) + " bytes";
        throw ValidationError(std::move(info));
    }
}

namespace {
boost::json::array key_schema(std::string_view pk, std::string_view sk) {
    boost::json::array out;
    out.push_back(boost::json::object{{"AttributeName", pk}, {"KeyType", "HASH"}});
    if (!sk.empty()) out.push_back(boost::json::object{{"AttributeName", sk}, {"KeyType", "RANGE"}});
    return out;
}
}  // namespace

boost::json::object create_table_body(std::string_view table, std::string_view pk, AttributeType pk_type,
                                      std::string_view sk, AttributeType sk_type,
                                      const std::vector<IndexDefinition>& indexes) {
    boost::json::array definitions;
    auto define = [&](std::string_view name, AttributeType type) {
        for (const auto& d : definitions)
            if (d.at("AttributeName").get_string() == name) return;
        definitions.push_back(boost::json::object{{"AttributeName", name}, {"AttributeType", to_string(type)}});
    };
    define(pk, pk_type);
    if (!sk.empty()) define(sk, sk_type);
    boost::json::array global, local;
    for (const auto& index : indexes) {
        define(index.partition_key, index.partition_key_type);
        if (!index.sort_key.empty()) define(index.sort_key, index.sort_key_type);
        boost::json::object out;
        out["IndexName"] = index.name;
        out["KeySchema"] = key_schema(index.partition_key, index.sort_key);
        boost::json::object projection;
        projection["ProjectionType"] = index.projection == Projection::all        ? "ALL"
                                       : index.projection == Projection::include ? "INCLUDE"
                                                                                 : "KEYS_ONLY";
        if (index.projection == Projection::include) {
            auto& names = projection["NonKeyAttributes"].emplace_array();
            for (const std::string_view n : index.non_key_attributes) names.push_back(boost::json::string(n));
        }
        out["Projection"] = std::move(projection);
        (index.global ? global : local).push_back(std::move(out));
    }
    boost::json::object body;
    body["TableName"] = table;
    body["AttributeDefinitions"] = std::move(definitions);
    body["KeySchema"] = key_schema(pk, sk);
    if (!global.empty()) body["GlobalSecondaryIndexes"] = std::move(global);
    if (!local.empty()) body["LocalSecondaryIndexes"] = std::move(local);
    body["BillingMode"] = "PAY_PER_REQUEST";
    return body;
}

namespace {

/** Checks the members of DescribeTable's `Table` that this library reads: strings where it reads
    strings, arrays of objects where it walks lists. */
void check_key_schema(const boost::json::object& owner, const ErrorInfo& context, const std::string& where) {
    const auto* ks = optional_array(owner, "KeySchema", context, where);
    if (ks == nullptr) return;
    const std::string label = (where.empty() ? std::string() : where + ".") + "KeySchema";
    for (std::size_t i = 0; i < ks->size(); ++i) {
        const auto& k = element_object((*ks)[i], label, i, context);
        for (const char* member : {"AttributeName", "KeyType"}) {
            const auto* v = k.if_contains(member);
            if (v == nullptr || !v->is_string())
                throw_invalid_response(context, label + "[" + std::to_string(i) + "]." + member + " is " +
                                                    (v == nullptr ? "missing" : "not a string"));
        }
    }
}

void check_string(const boost::json::object& owner, std::string_view member, const ErrorInfo& context,
                  const std::string& where, bool required) {
    const auto* v = owner.if_contains(member);
    if (v == nullptr ? required : !v->is_string())
        throw_invalid_response(context, (where.empty() ? std::string() : where + ".") + std::string(member) + " is " +
                                            (v == nullptr ? "missing" : "not a string"));
}

void check_table_description(const boost::json::object& table, const ErrorInfo& context) {
    check_string(table, "TableStatus", context, "Table", false);
    check_key_schema(table, context, "Table");
    if (const auto* defs = optional_array(table, "AttributeDefinitions", context, "Table"))
        for (std::size_t i = 0; i < defs->size(); ++i) {
            const std::string where = "Table.AttributeDefinitions[" + std::to_string(i) + "]";
            const auto& d = element_object((*defs)[i], "Table.AttributeDefinitions", i, context);
            check_string(d, "AttributeName", context, where, true);
            check_string(d, "AttributeType", context, where, true);
        }
    for (const char* kind : {"GlobalSecondaryIndexes", "LocalSecondaryIndexes"})
        if (const auto* list = optional_array(table, kind, context, "Table"))
            for (std::size_t i = 0; i < list->size(); ++i) {
                const std::string where = "Table." + std::string(kind) + "[" + std::to_string(i) + "]";
                const auto& index = element_object((*list)[i], "Table." + std::string(kind), i, context);
                check_string(index, "IndexName", context, where, true);
                check_string(index, "IndexStatus", context, where, false);
                check_key_schema(index, context, where);
                if (const auto* p = optional_object(index, "Projection", context, where))
                    check_string(*p, "ProjectionType", context, where + ".Projection", false);
            }
}

}  // namespace

boost::json::object described_table(boost::json::object& response, const std::string& table) {
    const ErrorInfo context{std::string(to_string(Operation::DescribeTable)), table, {}, {}, 200, {}};
    auto* t = response.if_contains("Table");
    if (t == nullptr) throw_invalid_response(context, "Table is missing");
    if (!t->is_object()) throw_invalid_response(context, "Table is " + std::string(json_kind(*t)) + ", not an object");
    check_table_description(t->get_object(), context);
    return std::move(t->get_object());
}

std::string table_status_of(boost::json::object& response, const std::string& table,
                            std::pair<std::size_t, std::size_t>* parts) {
    const boost::json::object o = described_table(response, table);
    std::string status = "UNKNOWN";
    if (const auto* s = o.if_contains("TableStatus")) status = s->get_string();
    if (parts != nullptr) {
        *parts = {status == "ACTIVE" ? 1 : 0, 1};
        if (const auto* g = o.if_contains("GlobalSecondaryIndexes"))
            for (const auto& index : g->get_array()) {
                ++parts->second;
                const auto* s = index.get_object().if_contains("IndexStatus");
                if (s != nullptr && s->get_string() == "ACTIVE") ++parts->first;
            }
    }
    // A table is usable when its global indexes are ACTIVE too.
    if (const auto* g = o.if_contains("GlobalSecondaryIndexes"))
        for (const auto& index : g->get_array())
            if (const auto* s = index.get_object().if_contains("IndexStatus"); s != nullptr && s->get_string() != "ACTIVE")
                return "INDEX_" + std::string(s->get_string());
    return status;
}

boost::json::object table_name_body(const std::string& table) {
    boost::json::object body;
    body["TableName"] = table;
    return body;
}

Error table_wait_timeout(const std::string& table, bool exists, std::chrono::seconds timeout) {
    ErrorInfo info = detail::operation_context(exists ? Operation::CreateTable : Operation::DeleteTable, table);
    info.message = exists ? "table did not become ACTIVE within " + std::to_string(timeout.count()) + " s"
                          : "table was not deleted within " + std::to_string(timeout.count()) + " s";
    return Error(errc::timeout, std::move(info));
}

std::chrono::milliseconds table_wait_delay(std::size_t poll) {
    auto delay = std::chrono::milliseconds(20);
    for (std::size_t i = 1; i < poll && delay < std::chrono::milliseconds(1000); ++i) delay *= 2;
    return std::min(delay, std::chrono::milliseconds(1000));
}

boost::json::object enable_ttl_body(const std::string& table, std::string_view attribute) {
    boost::json::object body = table_name_body(table);
    body["TimeToLiveSpecification"] = boost::json::object{{"Enabled", true}, {"AttributeName", attribute}};
    return body;
}

TimeToLive time_to_live_of(const boost::json::object& response) {
    TimeToLive out;
    if (const auto* d = response.if_contains("TimeToLiveDescription"); d != nullptr && d->is_object()) {
        const auto& o = d->get_object();
        if (const auto* s = o.if_contains("TimeToLiveStatus"); s != nullptr && s->is_string()) out.status = s->get_string();
        if (const auto* a = o.if_contains("AttributeName"); a != nullptr && a->is_string()) out.attribute_name = a->get_string();
    }
    return out;
}

namespace {
/** The table's status (see `table_status_of`), or nullopt when it does not exist. */
std::optional<std::string> table_status(const Client& client, const std::string& table,
                                        std::pair<std::size_t, std::size_t>* parts = nullptr) {
    boost::json::object response;
    try {
        response = client.call(Operation::DescribeTable, table_name_body(table));
    } catch (const TableNotFoundError&) {
        return std::nullopt;
    }
    return table_status_of(response, table, parts);
}
}  // namespace

bool table_exists(const Client& client, const std::string& table) {
    return table_status(client, table).has_value();
}

void wait_for_table(const Client& client, const std::string& table, bool exists, std::chrono::seconds timeout,
                    const ProgressCallback* progress) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const bool report = progress != nullptr && *progress && exists;
    std::pair<std::size_t, std::size_t> parts{0, 1};
    for (std::size_t polls = 1;; ++polls) {
        const auto status = table_status(client, table, report ? &parts : nullptr);
        if (report) report_progress(*progress, Progress{"CreateTable", parts.first, parts.second, polls, 0});
        if (exists ? (status && *status == "ACTIVE") : !status.has_value()) return;
        const auto delay = table_wait_delay(polls);
        if (std::chrono::steady_clock::now() + delay > deadline) throw table_wait_timeout(table, exists, timeout);
        std::this_thread::sleep_for(delay);
    }
}

}  // namespace dynantic::detail

namespace dynantic::detail {

void apply_create_options(boost::json::object& body, const CreateTableOptions& options) {
    if (options.provisioned) {
        const boost::json::object throughput{{"ReadCapacityUnits", options.provisioned->read_capacity_units},
                                             {"WriteCapacityUnits", options.provisioned->write_capacity_units}};
        body["BillingMode"] = "PROVISIONED";
        body["ProvisionedThroughput"] = throughput;
        if (auto* global = body.if_contains("GlobalSecondaryIndexes"))
            for (auto& index : global->as_array()) index.as_object()["ProvisionedThroughput"] = throughput;
    }
    if (options.stream != StreamView::none) {
        static constexpr std::string_view views[] = {"", "KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"};
        body["StreamSpecification"] =
            boost::json::object{{"StreamEnabled", true}, {"StreamViewType", views[static_cast<int>(options.stream)]}};
    }
}

boost::json::object describe_table(const Client& client, const std::string& table) {
    auto response = client.call(Operation::DescribeTable, table_name_body(table));
    return described_table(response, table);
}

TimeToLive describe_ttl(const Client& client, const std::string& table) {
    return time_to_live_of(client.call(Operation::DescribeTimeToLive, table_name_body(table)));
}

void enable_ttl(const Client& client, const std::string& table, std::string_view attribute) {
    client.call(Operation::UpdateTimeToLive, enable_ttl_body(table, attribute));
}

namespace {

std::string key_schema_text(const boost::json::value* ks) {
    std::string out;
    if (ks == nullptr || !ks->is_array()) return "(none)";
    for (const auto& k : ks->get_array()) {
        if (!out.empty()) out += ", ";
        out += std::string(k.at("KeyType").as_string()) + " " + std::string(k.at("AttributeName").as_string());
    }
    return out;
}

std::string attribute_type_of(const boost::json::object& table, std::string_view name) {
    if (const auto* defs = table.if_contains("AttributeDefinitions"); defs != nullptr && defs->is_array())
        for (const auto& d : defs->get_array())
            if (d.at("AttributeName").as_string() == name) return std::string(d.at("AttributeType").as_string());
    return {};
}

const boost::json::object* find_index(const boost::json::object& table, std::string_view kind, std::string_view name) {
    if (const auto* list = table.if_contains(kind); list != nullptr && list->is_array())
        for (const auto& i : list->get_array())
            if (i.at("IndexName").as_string() == name) return &i.get_object();
    return nullptr;
}

std::string projection_of(const boost::json::object& index) {
    if (const auto* p = index.if_contains("Projection"); p != nullptr && p->is_object())
        if (const auto* t = p->get_object().if_contains("ProjectionType"); t != nullptr && t->is_string())
            return std::string(t->get_string());
    return "(none)";
}

}  // namespace

std::vector<std::string> table_drift(const boost::json::object& expected, const boost::json::object& described,
                                     std::string_view expected_ttl, const TimeToLive& ttl) {
    std::vector<std::string> out;
    const std::string want_keys = key_schema_text(expected.if_contains("KeySchema"));
    const std::string have_keys = key_schema_text(described.if_contains("KeySchema"));
    if (want_keys != have_keys) out.push_back("key schema: model declares " + want_keys + ", table has " + have_keys);
    for (const auto& d : expected.at("AttributeDefinitions").as_array()) {
        const std::string_view name = d.at("AttributeName").as_string();
        const std::string want = std::string(d.at("AttributeType").as_string());
        const std::string have = attribute_type_of(described, name);
        if (have.empty()) out.push_back("attribute '" + std::string(name) + "': model declares " + want + ", table does not define it");
        else if (have != want) out.push_back("attribute '" + std::string(name) + "': model declares " + want + ", table has " + have);
    }
    for (std::string_view kind : {"GlobalSecondaryIndexes", "LocalSecondaryIndexes"}) {
        const std::string label = kind == "GlobalSecondaryIndexes" ? "global index '" : "local index '";
        if (const auto* want = expected.if_contains(kind))
            for (const auto& index : want->as_array()) {
                const auto& w = index.as_object();
                const std::string_view name = w.at("IndexName").as_string();
                const auto* h = find_index(described, kind, name);
                if (h == nullptr) {
                    out.push_back(label + std::string(name) + "': declared by the model, missing from the table");
                    continue;
                }
                const auto wk = key_schema_text(w.if_contains("KeySchema")), hk = key_schema_text(h->if_contains("KeySchema"));
                if (wk != hk) out.push_back(label + std::string(name) + "': model declares keys " + wk + ", table has " + hk);
                const auto wp = projection_of(w), hp = projection_of(*h);
                if (wp != hp) out.push_back(label + std::string(name) + "': model declares projection " + wp + ", table has " + hp);
            }
        if (const auto* have = described.if_contains(kind); have != nullptr && have->is_array())
            for (const auto& index : have->get_array()) {
                const std::string_view name = index.at("IndexName").as_string();
                if (find_index(expected, kind, name) == nullptr)
                    out.push_back(label + std::string(name) + "': on the table, not declared by the model");
            }
    }
    const bool ttl_on = ttl.status == "ENABLED" || ttl.status == "ENABLING";
    if (!expected_ttl.empty() && (!ttl_on || ttl.attribute_name != expected_ttl))
        out.push_back("TTL: model declares attribute '" + std::string(expected_ttl) + "', table has " +
                      (ttl_on ? "'" + ttl.attribute_name + "'" : std::string("TTL disabled")));
    if (expected_ttl.empty() && ttl_on)
        out.push_back("TTL: table has TTL on '" + ttl.attribute_name + "', the model declares none");
    return out;
}

}  // namespace dynantic::detail
