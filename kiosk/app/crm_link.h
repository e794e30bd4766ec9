// kiosk/app/crm_link.h — how a screen asks the CRM something and gets the
// answer on the UI thread, without ever waiting for it.
//
// A screen calls ask(); the question goes to the CrmRequests worker
// (offline-cache), and the answer comes back through the main-thread queue as
// a call to on_answer between frames. When the guest's session ends, every
// question still open is forgotten: an answer about the last guest must never
// reach the next one's screen (the generation check below is the only place
// that guarantees it).
//
// Index
//   CrmLink(requests, post)     post: runs a function on the UI thread (the App's MainThreadQueue)
//   CrmLink::ask(method, path, body, on_answer)   UI thread: on_answer(answer) runs later on the UI thread
//   CrmLink::end_session()      UI thread: drop every open question and any answer already on its way
//   CrmLink::busy()             a question is open (screens show a spinner; scripts wait for it)
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "offline_cache/crm_requests.h"

namespace kiosk {

class CrmLink {
public:
    using Post = std::function<void(std::function<void()>)>;
    using OnAnswer = std::function<void(const offline_cache::CrmAnswer&)>;

    CrmLink(offline_cache::CrmRequests& requests, Post post)
        : requests_(requests), post_(std::move(post)), state_(std::make_shared<State>()) {}

    void ask(std::string method, std::string path, std::string body, OnAnswer on_answer) {
        ++state_->open;
        uint64_t asked_in = state_->generation;
        requests_.ask(std::move(method), std::move(path), std::move(body),
                      [post = post_, asked_in, state = state_, on_answer = std::move(on_answer)](
                          const offline_cache::CrmAnswer& answer) {
                          // Worker thread: touch nothing but the queue.
                          post([asked_in, state, on_answer, answer] {
                              if (state->generation != asked_in) return;  // another guest's session by now
                              --state->open;
                              on_answer(answer);
                          });
                      });
    }

    void end_session() {
        requests_.cancel_all();
        ++state_->generation;
        state_->open = 0;
    }

    bool busy() const { return state_->open > 0; }

private:
    struct State {  // UI thread only; shared so an answer in the queue never points at a dead link
        uint64_t generation = 1;
        int open = 0;  // questions asked in this session and not yet answered
    };
    offline_cache::CrmRequests& requests_;
    Post post_;
    std::shared_ptr<State> state_;
};

}  // namespace kiosk
