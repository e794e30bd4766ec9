#include "content/flows.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace kiosk {

namespace {

using nlohmann::json;

// Parsing stops at the first problem and names it by its path in the document
// ("flows.visit.lanes[0].steps[2].title.es"), so staff can fix the content.
struct ContentError {
    std::string message;
};

const json& require(const json& parent, const char* key, const std::string& path) {
    if (!parent.is_object() || !parent.contains(key)) throw ContentError{path + "." + key + ": missing"};
    return parent.at(key);
}

LocalizedText localized(const json& node, const std::string& path, bool required) {
    LocalizedText text;
    if (!node.is_object()) throw ContentError{path + ": must be an object of language → text"};
    for (Lang lang : kAllLangs) {
        auto it = node.find(lang_code(lang));
        if (it == node.end()) {
            if (required) throw ContentError{path + "." + lang_code(lang) + ": missing"};
            continue;
        }
        if (!it->is_string()) throw ContentError{path + "." + lang_code(lang) + ": must be text"};
        text.by_lang[size_t(lang)] = it->get<std::string>();
        if (required && text.by_lang[size_t(lang)].empty())
            throw ContentError{path + "." + lang_code(lang) + ": empty"};
    }
    return text;
}

Flow parse_flow(const json& node, const std::string& path) {
    Flow flow;
    flow.title = localized(require(node, "title", path), path + ".title", true);
    flow.intro = localized(require(node, "intro", path), path + ".intro", true);
    const json& lanes = require(node, "lanes", path);
    if (!lanes.is_array() || lanes.empty()) throw ContentError{path + ".lanes: must be a non-empty list"};
    for (size_t i = 0; i < lanes.size(); ++i) {
        std::string lane_path = path + ".lanes[" + std::to_string(i) + "]";
        FlowLane lane;
        const json& id = require(lanes[i], "id", lane_path);
        if (!id.is_string()) throw ContentError{lane_path + ".id: must be text"};
        lane.id = id.get<std::string>();
        lane.vip = lanes[i].value("vip", false);
        lane.title = localized(require(lanes[i], "title", lane_path), lane_path + ".title", true);
        const json& steps = require(lanes[i], "steps", lane_path);
        if (!steps.is_array() || steps.empty()) throw ContentError{lane_path + ".steps: must be a non-empty list"};
        for (size_t s = 0; s < steps.size(); ++s) {
            std::string step_path = lane_path + ".steps[" + std::to_string(s) + "]";
            FlowStep step;
            const json& step_id = require(steps[s], "id", step_path);
            if (!step_id.is_string()) throw ContentError{step_path + ".id: must be text"};
            step.id = step_id.get<std::string>();
            step.title = localized(require(steps[s], "title", step_path), step_path + ".title", true);
            step.text = localized(require(steps[s], "text", step_path), step_path + ".text", true);
            if (steps[s].contains("within"))
                step.within = localized(steps[s].at("within"), step_path + ".within", true);
            lane.steps.push_back(std::move(step));
        }
        flow.lanes.push_back(std::move(lane));
    }
    return flow;
}

void append(std::string& out, const LocalizedText& text) {
    for (auto& s : text.by_lang) out += s;
}

}  // namespace

std::string FlowContent::all_text() const {
    std::string out;
    for (const Flow* flow : {&visit, &complaint}) {
        append(out, flow->title);
        append(out, flow->intro);
        for (auto& lane : flow->lanes) {
            append(out, lane.title);
            for (auto& step : lane.steps) {
                append(out, step.title);
                append(out, step.text);
                append(out, step.within);
            }
        }
    }
    return out;
}

std::optional<FlowContent> parse_flow_content(const std::string& json_text, std::string* error) {
    json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) {
        *error = "flows: not valid JSON";
        return std::nullopt;
    }
    try {
        FlowContent content;
        const json& version = require(doc, "version", "flows");
        if (!version.is_string()) throw ContentError{"flows.version: must be text"};
        content.version = version.get<std::string>();
        const json& flows = require(doc, "flows", "flows");
        content.visit = parse_flow(require(flows, "visit", "flows"), "flows.visit");
        content.complaint = parse_flow(require(flows, "complaint", "flows"), "flows.complaint");
        return content;
    } catch (const ContentError& e) {
        *error = e.message;
    } catch (const json::exception& e) {
        *error = std::string("flows: ") + e.what();  // e.g. invalid UTF-8 inside a string
    }
    return std::nullopt;
}

std::optional<FlowContent> load_flow_content_file(const std::string& path, std::string* error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        *error = path + ": cannot be read";
        return std::nullopt;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    auto content = parse_flow_content(buffer.str(), error);
    if (!content) *error = path + ": " + *error;
    return content;
}

}  // namespace kiosk
