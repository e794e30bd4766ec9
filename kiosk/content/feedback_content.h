// kiosk/content/feedback_content.h — what the feedback, survey and complaint
// screens take from the CRM: feedback topics, survey definitions and the
// departments, each with a shipped default for the first boot offline.
//
// Shapes are the CRM's content entries (docs/crm-api.md). A malformed entry is
// refused whole (nullopt + the reason): the screen keeps what it had, or the
// shipped default, and never shows half a survey.
//
// Index
//   NamedItem                           an id and its name in four languages (topic, department, choice option)
//   parse_feedback_topics(json, &err)   {"topics": [{"id", "name": {lang: text}}]}
//   parse_departments(json, &err)       {"departments": [{"id", "name": {lang: text}, …}]}
//   SurveyQuestion, Survey              a versioned survey: questions of type faces, nps (0–10) or choice
//   parse_surveys(json, &err)           {"surveys": [{"id", "version", "touchpoints", "questions": [...]}]}
//   pick_kiosk_survey(surveys)          the survey the lobby shows: one for touchpoint "kiosk", else the first
//   load_text_file(path)                a shipped default's text ("" when missing)
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "i18n/lang.h"

namespace kiosk {

struct NamedItem {
    std::string id;
    LocalizedText name;
};

std::optional<std::vector<NamedItem>> parse_feedback_topics(const std::string& json_text, std::string* error);
std::optional<std::vector<NamedItem>> parse_departments(const std::string& json_text, std::string* error);

struct SurveyQuestion {
    enum class Type { faces, nps, choice };
    std::string id;
    Type type = Type::faces;
    LocalizedText text;
    std::vector<NamedItem> options;  // choice only
};

struct Survey {
    std::string id;
    int64_t version = 0;
    std::vector<std::string> touchpoints;
    std::vector<SurveyQuestion> questions;
};

std::optional<std::vector<Survey>> parse_surveys(const std::string& json_text, std::string* error);
const Survey* pick_kiosk_survey(const std::vector<Survey>& surveys);
std::string load_text_file(const std::string& path);

}  // namespace kiosk
