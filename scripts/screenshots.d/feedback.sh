# Feedback, survey, complaint and complaint status (docs/feedback.md), in the
# four languages: faces, follow-up, thank-you with its receipt code, a survey
# question, the complaint form, the ticket with its QR code, the status
# timeline (from the demo CRM, the complaint moved on by staff).
for lang in zh-Hans zh-Hant en es; do
  shoot "feedback-$lang" "tap start" "tap lang.$lang" "tap home.feedback" \
    "screenshot $out/feedback-faces-$lang.png" \
    "tap feedback.face.1" "tap feedback.topic.waiting" "tap feedback.topic.payment" \
    "screenshot $out/feedback-follow_up-$lang.png" \
    "tap feedback.send" "screenshot $out/feedback-thanks-$lang.png" \
    "tap feedback.to_survey" "tap survey.face.3" "tap survey.face.2" "tap survey.face.3" "tap survey.face.3" \
    "screenshot $out/feedback-survey-nps-$lang.png"
  shoot "survey-$lang" "tap start" "tap lang.$lang" "tap home.survey" "screenshot $out/feedback-survey-$lang.png"
  shoot "complaint-$lang" "tap start" "tap lang.$lang" "tap home.complaint" \
    "screenshot $out/feedback-complaint-$lang.png" "tap complaint.start" \
    "tap complaint.not_sure" "tap complaint.when.yesterday" \
    "tap complaint.phone" "type 13812345678" "tap key.OK" "tap complaint.consent" \
    "screenshot $out/feedback-complaint_form-$lang.png"
done
# A ticket and its status come from the demo CRM: filed, sent, moved on by staff.
file_complaint=("tap start" "tap lang.en" "tap home.complaint" "tap complaint.start" "tap complaint.what"
  "type The wait at the pharmacy was over an hour" "tap key.OK" "tap complaint.phone" "type 13812345678" "tap key.OK"
  "tap complaint.consent" "tap complaint.submit")
for lang in zh-Hans zh-Hant en es; do
  shoot_online "ticket-$lang" "${file_complaint[@]}" "tap lang.$lang" "screenshot $out/feedback-ticket-$lang.png" "sync"
done
# Tickets are random (K-7KQ4-M2XD): take the first one filed from the staff list (newest first).
ticket=$(curl -sf -H "Authorization: Bearer shots" "http://127.0.0.1:$port/api/v1/admin/complaints?per_page=500" |
  grep -o '"ticket":"K-[0-9A-Z-]*"' | tail -n 1 | cut -d'"' -f4)
for _ in 1 2 3; do
  curl -sf -X POST --data "" -H "Authorization: Bearer shots" "http://127.0.0.1:$port/api/v1/admin/complaints/$ticket/advance" \
    >/dev/null
done
for lang in zh-Hans zh-Hant en es; do
  shoot_online "status-$lang" "tap start" "tap lang.$lang" "tap home.complaint_status" "tap status.ticket" "type $ticket" \
    "tap key.OK" "tap status.last4" "type 5678" "tap key.OK" "tap status.look_up" \
    "screenshot $out/feedback-status-$lang.png"
done
