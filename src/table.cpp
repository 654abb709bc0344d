#include <dynantic/table.hpp>

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
        out["Projection"] = boost::json::object{{"ProjectionType", index.projection == Projection::all ? "ALL" : "KEYS_ONLY"}};
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
std::optional<std::string> table_status(const Client& client, const std::string& table) {
    boost::json::object body;
    body["TableName"] = table;
    try {
        const auto response = client.call("DescribeTable", body);
        const auto* status = response.if_contains("Table");
        if (status != nullptr && status->is_object()) {
            if (const auto* s = status->get_object().if_contains("TableStatus"); s != nullptr && s->is_string())
                return std::string(s->get_string());
        }
        return std::string("UNKNOWN");
    } catch (const TableNotFoundError&) {
        return std::nullopt;
    }
}
}  // namespace

bool table_exists(const Client& client, const std::string& table) {
    return table_status(client, table).has_value();
}

void wait_for_table(const Client& client, const std::string& table, bool exists, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto delay = std::chrono::milliseconds(20);
    for (;;) {
        const auto status = table_status(client, table);
        if (exists ? (status && *status == "ACTIVE") : !status.has_value()) return;
        if (std::chrono::steady_clock::now() + delay > deadline) {
            ErrorInfo info{exists ? "CreateTable" : "DeleteTable", table, {}, {}, 0, {}};
            info.message = exists ? "table did not become ACTIVE within " + std::to_string(timeout.count()) + " s"
                                  : "table was not deleted within " + std::to_string(timeout.count()) + " s";
            throw Error(errc::timeout, std::move(info));
        }
        std::this_thread::sleep_for(delay);
        delay = std::min(delay * 2, std::chrono::milliseconds(1000));
    }
}

}  // namespace dynantic::detail
