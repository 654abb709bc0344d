// expect-error: this member is already declared auto_uuid
#include <dynantic/schema.hpp>
#include <boost/describe.hpp>
#include <boost/uuid/uuid.hpp>
// Both keys may be generated, but one key declared twice is a mistake.
struct Log { boost::uuids::uuid stream{}; boost::uuids::uuid event{}; };
BOOST_DESCRIBE_STRUCT(Log, (), (stream, event))
constexpr auto s = dynantic::table("log").partition_key(&Log::stream).sort_key(&Log::event)
                       .auto_uuid(&Log::stream).auto_uuid(&Log::stream);
