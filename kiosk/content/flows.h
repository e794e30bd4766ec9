// kiosk/content/flows.h — the visit flow and the complaint flow, as data.
//
// The flows are drawn as step diagrams from this data (never from pictures),
// so the CRM can replace them and every language renders. The default content
// is assets/content/flows.json; a CRM copy, when cached, has the same shape.
//
// Index
//   FlowStep, FlowLane, Flow, FlowContent    the model: a flow has lanes (ordinary path, VIP path), lanes have steps
//   parse_flow_content(json_text, &error)    validate and load; nullopt + a message naming the bad field
//   load_flow_content_file(path, &error)     the same, from a file
//   FlowContent::all_text()                  every string in every language, for the glyph atlas
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "i18n/lang.h"

namespace kiosk {

struct FlowStep {
    std::string id;
    LocalizedText title;
    LocalizedText text;
    LocalizedText within;  // promised time for this stage; empty when none is promised
};

struct FlowLane {
    std::string id;
    bool vip = false;
    LocalizedText title;
    std::vector<FlowStep> steps;
};

struct Flow {
    LocalizedText title;
    LocalizedText intro;
    std::vector<FlowLane> lanes;
};

struct FlowContent {
    std::string version;
    Flow visit;
    Flow complaint;
    std::string all_text() const;
};

std::optional<FlowContent> parse_flow_content(const std::string& json_text, std::string* error);
std::optional<FlowContent> load_flow_content_file(const std::string& path, std::string* error);

}  // namespace kiosk
