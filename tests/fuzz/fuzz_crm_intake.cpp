// libFuzzer target: the CRM's record intake. A batch body, as a kiosk (or an
// attacker holding a kiosk's key) sends it, through the same path as
// POST /api/v1/outbox/batch: the contract's bounded request parse, then the
// store's ingest (per-record bounds, savepoints, the domain rules) on a real
// SQLite file with the demo hospital in it, then the staff lists that re-read
// what was stored. Run by `make fuzz`; replayed over its corpus by ctest.
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstdint>
#include <filesystem>
#include <string>

#include "crm_contract/batch.h"
#include "crm_contract/record_pages.h"
#include "crm_contract/records.h"
#include "platform/clock.h"
#include "store.h"

namespace {

crm::Store& store() {
    static platform::ManualClock clock{0, 1'795'366'800'000};
    static crm::Store* s = [] {
        static const auto dir = std::filesystem::temp_directory_path() / ("fuzz-crm-intake-" + std::to_string(getpid()));
        std::filesystem::create_directories(dir);
        std::atexit([] {
            std::error_code ignored;
            std::filesystem::remove_all(dir, ignored);
        });
        auto* st = new crm::Store(clock);
        std::string error;
        if (!st->open((dir / "crm.sqlite").string(), &error)) abort();
        st->seed_demo(std::string(KIOSK_SOURCE_DIR) + "/assets/content/flows.json", "Asia/Shanghai");  // CrmOptions::time_zone's default
        return st;
    }();
    return *s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string body(reinterpret_cast<const char*>(data), size);
    std::string why;
    auto wire = crm_contract::parse_batch_request(body, &why);
    if (!wire || wire->size() > crm_contract::kMaxBatchRecords) return 0;
    std::vector<crm::OutboxRecord> records;
    for (auto& r : *wire) records.push_back({r.key, r.type, r.payload, r.created_at_ms});
    auto results = store().ingest("lobby-1", records);
    if (results && results->size() != records.size()) abort();
    // What was stored must be listable (and dumpable) without harm.
    for (const std::vector<std::string>& types :
         {std::vector<std::string>{"feedback", "feedback_follow_up"}, {"complaint", "complaint_satisfaction"},
          {"redemption", "points_gift"}, {"booking", "booking_move", "booking_cancel"}, {"survey_answer"}})
        store().list_records(types, {1, 5}).dump();
    // And each record's phone page (issue 14), with the guard the record named: shown, or the one "not available" answer.
    for (const auto& r : *wire) {
        auto kind = crm_contract::page_kind_of(r.type);
        if (!kind) continue;
        nlohmann::json payload = nlohmann::json::parse(r.payload, nullptr, false);
        if (!payload.is_object()) continue;
        auto id = payload.find(crm_contract::page_id_field(r.type));
        auto guard = payload.find(crm_contract::kPageGuardField);
        if (id == payload.end() || !id->is_string() || guard == payload.end() || !guard->is_string()) continue;
        crm::RecordPage page = store().record_page(*kind, id->get<std::string>().substr(0, 64),
                                                   guard->get<std::string>().substr(0, 64), "fuzz");
        if (page.outcome == crm::RecordPage::Outcome::shown) page.record.dump();
    }
    return 0;
}
