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
//   CrmLink::set_cache_writer(fn)   UI thread, once the store is open: how answers are kept for offline use
//   CrmLink::ask(method, path, body, on_answer)   UI thread: on_answer(answer) runs later on the UI thread
//   CrmLink::ask(…, keep)       the same, and a 200 answer that keep.valid() accepts is cached as keep.name
//                               on the worker thread — the UI thread never waits on that write
//   CrmLink::ask(…, keep, member_session)   the same, carrying the member's session token (CrmClient only)
//   CrmLink::tell(method, path, body, member_session)   UI thread: a request whose answer nobody waits for
//                               (the sign-out at the session's end); busy() does not count it
//   CrmLink::end_session()      UI thread: drop every open question and any answer already on its way
//   CrmLink::busy()             a question is open (screens show a spinner; scripts wait for it)
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "offline_cache/crm_requests.h"

namespace kiosk {

class CrmLink {
public:
    using Post = std::function<void(std::function<void()>)>;
    using OnAnswer = std::function<void(const offline_cache::CrmAnswer&)>;
    // Writes one body into the content cache; called on the CRM worker thread.
    using CacheWriter = std::function<void(const std::string& name, const std::string& body)>;
    struct KeepAs {
        std::string name;                                   // content cache entry, e.g. "slots/internal/2026-11-23"
        std::function<bool(const std::string& body)> valid; // must be thread-safe (a pure parser); a garbled answer never replaces a good copy
    };

    CrmLink(offline_cache::CrmRequests& requests, Post post)
        : requests_(requests), post_(std::move(post)), state_(std::make_shared<State>()) {}

    void set_cache_writer(CacheWriter writer) {
        std::lock_guard<std::mutex> lock(writer_->mutex);
        writer_->write = std::move(writer);
    }

    void ask(std::string method, std::string path, std::string body, OnAnswer on_answer, KeepAs keep = {},
             std::string member_session = {}) {
        ++state_->open;
        uint64_t asked_in = state_->generation;
        requests_.ask(std::move(method), std::move(path), std::move(body),
                      [post = post_, asked_in, state = state_, writer = writer_, keep = std::move(keep),
                       on_answer = std::move(on_answer)](const offline_cache::CrmAnswer& answer) {
                          // Worker thread: touch nothing but the cache writer and the queue.
                          if (!keep.name.empty() && answer.status == 200 && keep.valid && keep.valid(answer.body)) {
                              std::lock_guard<std::mutex> lock(writer->mutex);
                              if (writer->write) writer->write(keep.name, answer.body);
                          }
                          post([asked_in, state, on_answer, answer] {
                              if (state->generation != asked_in) return;  // another guest's session by now
                              --state->open;
                              on_answer(answer);
                          });
                      },
                      std::move(member_session));
    }

    void tell(std::string method, std::string path, std::string body, std::string member_session = {}) {
        requests_.ask(std::move(method), std::move(path), std::move(body), nullptr, std::move(member_session));
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
    struct Writer {  // shared with the worker thread, hence the mutex
        std::mutex mutex;
        CacheWriter write;
    };
    offline_cache::CrmRequests& requests_;
    Post post_;
    std::shared_ptr<State> state_;
    std::shared_ptr<Writer> writer_ = std::make_shared<Writer>();
};

}  // namespace kiosk
