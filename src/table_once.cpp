// SPDX-License-Identifier: BSL-1.0
// Create-table-on-first-write: each table created at most once per process (TableOptions).
#include <dynantic/detail/table_admin.hpp>

#include <map>
#include <memory>
#include <mutex>

namespace dynantic::detail {
namespace {

struct Creation {
    std::mutex mutex;   // held while creating: callers that find the table missing meanwhile wait
    bool done = false;
};

}  // namespace

void create_table_once(const Client& client, const std::string& table, const std::function<void()>& create) {
    static std::mutex registry_mutex;
    static std::map<std::string, std::shared_ptr<Creation>> registry;
    const std::string key = client.endpoint().url() + '\n' + client.region() + '\n' + table;
    std::shared_ptr<Creation> creation;
    {
        const std::lock_guard lock(registry_mutex);
        auto& slot = registry[key];
        if (!slot) slot = std::make_shared<Creation>();
        creation = slot;
    }
    const std::lock_guard lock(creation->mutex);
    if (creation->done) return;
    create();
    creation->done = true;
}

}  // namespace dynantic::detail
