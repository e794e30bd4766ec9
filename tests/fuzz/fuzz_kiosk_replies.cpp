// libFuzzer target: the kiosk's parsing of the CRM's replies — a batch's
// results, a content entry (and the promotions' image ids), a member's
// sign-in answer and the offline grant it carries. Whatever a CRM (or someone in between) answers, the kiosk
// must neither crash nor build an unbounded tree. Run by `make fuzz`;
// replayed over its corpus by ctest.
#include <cstddef>
#include <cstdint>
#include <string>

#include "crm_contract/batch.h"
#include "crm_contract/bounded_json.h"
#include "domain/member_rules.h"
#include "offline_cache/sync_engine.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string body(reinterpret_cast<const char*>(data), size);
    if (auto results = crm_contract::parse_batch_reply(body))
        for (const auto& r : *results)
            if (r.key.size() > 1024 || r.status.size() > 1024) abort();  // the reply bounds hold
    offline_cache::promotion_image_ids(body, 1'795'366'800'000);
    if (auto member = kiosk::parse_sign_in_answer(body, "6200000000000040", 1'795'366'800'000)) {
        if (member->balance < 0) abort();  // never_negative
        if (member->card_last4 != "0040") abort();
    }
    if (auto grant = kiosk::parse_offline_grant(body))
        if (grant->cap_points < 0 || grant->cap_points > 10'000'000 || grant->id.size() > 64) abort();
    return 0;
}
