#include "content/feedback_content.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace kiosk {

namespace {

using nlohmann::json;

struct Refusal {
    std::string why;
};

// At least one language; the others fall back (LocalizedText::in).
LocalizedText localized(const json& node, const std::string& path) {
    if (!node.is_object()) throw Refusal{path + ": must be an object of language → text"};
    LocalizedText text;
    bool any = false;
    for (Lang lang : kAllLangs) {
        auto it = node.find(lang_code(lang));
        if (it == node.end()) continue;
        if (!it->is_string()) throw Refusal{path + "." + lang_code(lang) + ": must be text"};
        text.by_lang[size_t(lang)] = it->get<std::string>();
        any = any || !it->get<std::string>().empty();
    }
    if (!any) throw Refusal{path + ": no text in any language"};
    return text;
}

std::string id_of(const json& node, const std::string& path) {
    auto it = node.find("id");
    if (it == node.end() || !it->is_string() || it->get<std::string>().empty() || it->get<std::string>().size() > 64)
        throw Refusal{path + ".id: must be text of 1–64 characters"};
    return it->get<std::string>();
}

const json& list_of(const json& doc, const char* field) {
    if (!doc.is_object()) throw Refusal{"not a JSON object"};
    auto it = doc.find(field);
    if (it == doc.end() || !it->is_array()) throw Refusal{std::string(field) + ": must be a list"};
    return *it;
}

std::vector<NamedItem> named_items(const json& list, const std::string& path, const char* name_field) {
    std::vector<NamedItem> items;
    for (size_t i = 0; i < list.size(); ++i) {
        std::string at = path + "[" + std::to_string(i) + "]";
        if (!list[i].is_object()) throw Refusal{at + ": must be an object"};
        auto name = list[i].find(name_field);
        if (name == list[i].end()) throw Refusal{at + "." + name_field + ": missing"};
        items.push_back({id_of(list[i], at), localized(*name, at + "." + name_field)});
    }
    return items;
}

template <typename T, typename Parse>
std::optional<T> parse_guarded(const std::string& json_text, std::string* error, Parse parse) {
    json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) {
        if (error) *error = "not JSON";
        return std::nullopt;
    }
    try {
        return parse(doc);
    } catch (const Refusal& r) {
        if (error) *error = r.why;
    } catch (const json::exception& e) {
        if (error) *error = e.what();
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::vector<NamedItem>> parse_feedback_topics(const std::string& json_text, std::string* error) {
    return parse_guarded<std::vector<NamedItem>>(json_text, error, [](const json& doc) {
        auto items = named_items(list_of(doc, "topics"), "topics", "name");
        if (items.empty()) throw Refusal{"topics: empty"};
        return items;
    });
}

std::optional<std::vector<NamedItem>> parse_departments(const std::string& json_text, std::string* error) {
    return parse_guarded<std::vector<NamedItem>>(
        json_text, error, [](const json& doc) { return named_items(list_of(doc, "departments"), "departments", "name"); });
}

std::optional<std::vector<Survey>> parse_surveys(const std::string& json_text, std::string* error) {
    return parse_guarded<std::vector<Survey>>(json_text, error, [](const json& doc) {
        std::vector<Survey> surveys;
        const json& list = list_of(doc, "surveys");
        for (size_t i = 0; i < list.size(); ++i) {
            std::string at = "surveys[" + std::to_string(i) + "]";
            const json& s = list[i];
            if (!s.is_object()) throw Refusal{at + ": must be an object"};
            Survey survey;
            survey.id = id_of(s, at);
            auto version = s.find("version");
            if (version == s.end() || !version->is_number_integer()) throw Refusal{at + ".version: must be a whole number"};
            survey.version = version->get<int64_t>();
            if (auto tp = s.find("touchpoints"); tp != s.end() && tp->is_array())
                for (const json& t : *tp)
                    if (t.is_string()) survey.touchpoints.push_back(t.get<std::string>());
            const json& questions = list_of(s, "questions");
            for (size_t q = 0; q < questions.size(); ++q) {
                std::string qat = at + ".questions[" + std::to_string(q) + "]";
                if (!questions[q].is_object()) throw Refusal{qat + ": must be an object"};
                SurveyQuestion question;
                question.id = id_of(questions[q], qat);
                auto type = questions[q].find("type");
                std::string t = type != questions[q].end() && type->is_string() ? type->get<std::string>() : "";
                if (t == "faces") question.type = SurveyQuestion::Type::faces;
                else if (t == "nps") question.type = SurveyQuestion::Type::nps;
                else if (t == "choice") question.type = SurveyQuestion::Type::choice;
                else throw Refusal{qat + ".type: must be faces, nps or choice"};
                auto text = questions[q].find("text");
                if (text == questions[q].end()) throw Refusal{qat + ".text: missing"};
                question.text = localized(*text, qat + ".text");
                if (question.type == SurveyQuestion::Type::choice) {
                    question.options = named_items(list_of(questions[q], "options"), qat + ".options", "text");
                    if (question.options.empty()) throw Refusal{qat + ".options: empty"};
                }
                survey.questions.push_back(std::move(question));
            }
            if (survey.questions.empty()) throw Refusal{at + ".questions: empty"};
            surveys.push_back(std::move(survey));
        }
        if (surveys.empty()) throw Refusal{"surveys: empty"};
        return surveys;
    });
}

const Survey* pick_kiosk_survey(const std::vector<Survey>& surveys) {
    for (const Survey& s : surveys)
        for (const std::string& t : s.touchpoints)
            if (t == "kiosk") return &s;
    return surveys.empty() ? nullptr : &surveys.front();
}

std::string load_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace kiosk
