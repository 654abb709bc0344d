#pragma once
// The audit-log test model: both keys are generated UUIDs (`auto_uuid` on the partition and the
// sort key), stored in table "audit".
#include <dynantic/schema.hpp>

#include <boost/describe/class.hpp>
#include <boost/uuid/uuid.hpp>

#include <string>

namespace dynantic::test::audit {

struct AuditEvent {
    boost::uuids::uuid stream_id{};
    boost::uuids::uuid event_id{};
    std::string what;
};
BOOST_DESCRIBE_STRUCT(AuditEvent, (), (stream_id, event_id, what))
constexpr auto dynantic_schema(const AuditEvent*) {
    return dynantic::table("audit")
        .partition_key(&AuditEvent::stream_id)
        .sort_key(&AuditEvent::event_id)
        .auto_uuid(&AuditEvent::stream_id)
        .auto_uuid(&AuditEvent::event_id);
}

}  // namespace dynantic::test::audit
