// kiosk/domain/feedback_rules.h — the rules of quick feedback and survey
// answers, as plain functions: receipt codes, the one-answer-per-few-seconds
// throttle, what guest text is accepted, and the anonymous records.
//
// Anonymity invariant: a record built here holds the answer, the hour it was
// given (truncated) and a random receipt code — never a card, a name, a phone,
// a session id or an exact time. A membership card goes in only when the
// guest switched "attach my membership" on (off by default) while signed in.
//
// Index
//   kFaceCount, face_code(face)                 the four faces 0 very unhappy … 3 very happy; "very_unhappy" …
//   kReceiptAlphabet, kReceiptLength            the unambiguous alphabet of receipt codes, 6 characters
//   receipt_code_from_key(key)                  a receipt code derived from a random idempotency key (UUID v4)
//   is_receipt_code(text)                       6 characters of the alphabet
//   hour_of(wall_ms)                            wall time truncated to the hour
//   AnswerThrottle                              at most one counted answer per interval (ManualClock-testable)
//   GuestTextProblem, check_guest_text(t, max)  empty/ok/too long/invalid UTF-8/control characters — never truncated
//   FeedbackFollowUp                            topics, comment, attach-membership choice
//   quick_feedback_payload(face, receipt, hour) the `feedback` record: one tap is a whole answer
//   follow_up_payload(f, receipt, hour, member) the `feedback_follow_up` record (member only when attached)
//   survey_answer_payload(id, version, answers, receipt, hour)   the `survey_answer` record
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "crm_contract/records.h"
#include "domain/member_session.h"

namespace kiosk {

inline constexpr int kFaceCount = 4;
const char* face_code(int face);  // "very_unhappy", "unhappy", "happy", "very_happy"; "" out of range

// No 0/O/D/Q, 1/I/L, 2/Z, 5/S, 8/B, U/V, G: a code read aloud or copied by
// hand survives. 20 symbols, 6 places: 64 million codes.
inline constexpr std::string_view kReceiptAlphabet = "ACEFHJKMNPRTWXY34679";
inline constexpr size_t kReceiptLength = 6;

// The code is a function of the record's random key alone (the kernel's
// random source made it): it carries nothing about the guest or the moment.
std::string receipt_code_from_key(std::string_view key);
bool is_receipt_code(std::string_view text);

// The contract's hour rounding (crm_contract/records.h): the CRM rounds the same way.
using crm_contract::hour_of;

// One person tapping a face twenty times is one answer per interval. The
// throttle belongs to the kiosk, not the guest: it holds only a time.
class AnswerThrottle {
public:
    explicit AnswerThrottle(int64_t min_interval_ms) : min_interval_ms_(min_interval_ms) {}
    // True when an answer at now_ms counts (and starts a new interval).
    bool try_accept(int64_t now_ms);
    // How long until the next answer would count (0: now).
    int64_t wait_ms(int64_t now_ms) const;
    void set_interval(int64_t min_interval_ms) { min_interval_ms_ = min_interval_ms; }

private:
    int64_t min_interval_ms_;
    std::optional<int64_t> last_accepted_ms_;
};

enum class GuestTextProblem { none, empty, too_long, invalid_utf8, control_characters };
inline constexpr size_t kMaxCommentChars = 500;
inline constexpr size_t kMaxComplaintChars = 1000;
// Refuses what it cannot keep whole; never shortens text. Newlines and tabs are fine.
GuestTextProblem check_guest_text(std::string_view text, size_t max_chars, bool required = false);
// The string key for the guest-facing message about a problem ("" for none).
const char* guest_text_problem_key(GuestTextProblem problem);

struct FeedbackFollowUp {
    std::vector<std::string> topics;  // ids from the feedback_topics content
    std::string comment;
    bool attach_membership = false;   // the guest's own choice; off by default
    bool empty() const { return topics.empty() && comment.empty(); }
};

std::string quick_feedback_payload(int face, std::string_view receipt, int64_t hour_ms);
std::string follow_up_payload(const FeedbackFollowUp& follow_up, std::string_view receipt, int64_t hour_ms,
                              const std::optional<SignedInMember>& member);
// A question's answer: a number (faces 0–3, nps 0–10) or a choice's option id.
using SurveyAnswerValue = std::variant<int, std::string>;
std::string survey_answer_payload(std::string_view survey, int64_t version,
                                  const std::map<std::string, SurveyAnswerValue>& answers,
                                  std::string_view receipt, int64_t hour_ms);

}  // namespace kiosk
