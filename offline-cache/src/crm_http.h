// offline-cache/src/crm_http.h — internal: one libcurl handle speaking the
// signed kiosk protocol of docs/crm-api.md. Shared by the sync worker and the
// interactive request worker; each owns its own CrmHttp (a handle is never
// used by two threads).
#pragma once

#include <curl/curl.h>

#include <cstdint>
#include <string>

#include "crm_contract/signing.h"
#include "offline_cache/outbox.h"
#include "offline_cache/sync_engine.h"

namespace offline_cache {

// One HTTP exchange as the sync code needs it: status, body, Retry-After, ETag, or why it failed.
struct Reply {
    long status = 0;
    std::string body;
    int64_t retry_after_s = -1;  // -1: none
    CURLcode curl = CURLE_OK;
    std::string error;
    std::string etag;  // the reply's ETag header, if any
    bool too_big = false;
};

// The only function that gives libcurl the process-wide init it needs before
// any thread uses it (curl_global_init is not thread-safe).
inline void global_init_once() {
    static const bool done = [] {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        return true;
    }();
    (void)done;
}


// One libcurl easy handle, reused so the connection stays open between rounds.
struct CrmHttp {
    CURL* curl = nullptr;
    CrmHttp(const CrmHttp&) = delete;
    CrmHttp& operator=(const CrmHttp&) = delete;
    CrmHttp() {
        global_init_once();
        curl = curl_easy_init();
    }
    ~CrmHttp() { curl_easy_cleanup(curl); }

    Reply post(const SyncOptions& o, const std::string& path, const std::string& body, int64_t now_s) {
        return request(o, "POST", path, body, "", now_s);
    }

    // GET with If-None-Match when an ETag is known; 304 means "what you have is current".
    Reply get(const SyncOptions& o, const std::string& path, const std::string& etag, int64_t now_s) {
        return request(o, "GET", path, "", etag, now_s);
    }

    // member_session: the signed-in member's session token (X-Member-Session), only
    // for the requests a member's session authorises (docs/crm-api.md); "" for all others.
    Reply request(const SyncOptions& o, const std::string& method, const std::string& path, const std::string& body,
                  const std::string& etag, int64_t now_s, const std::string& member_session = "") {
        Reply reply;
        curl_easy_reset(curl);
        std::string url = o.crm_url + path;
        curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
        if (method == "POST") {
            curl_easy_setopt(curl, CURLOPT_POST, 1L);
            curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
            curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, long(body.size()));
        } else {
            curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
        }
        // libcurl's defaults would wait 300 s to connect and forever for a reply.
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, long(o.connect_timeout_ms));
        curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, long(o.total_timeout_ms));
        curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, long(o.low_speed_bytes_per_s));
        curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, long(o.low_speed_seconds));
        curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect could lead past the pin
        // Verification is always on; there is deliberately no option to turn it off.
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
        if (!o.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, o.ca_file.c_str());
        if (!o.pinned_pubkey.empty()) curl_easy_setopt(curl, CURLOPT_PINNEDPUBLICKEY, o.pinned_pubkey.c_str());

        struct curl_slist* headers = nullptr;
        std::string id = "X-Kiosk-Id: " + o.kiosk_id;
        std::string stamp = "X-Kiosk-Timestamp: " + std::to_string(now_s);
        std::string nonce_value = make_idempotency_key();  // any fresh random string will do
        std::string nonce = "X-Kiosk-Nonce: " + nonce_value;
        std::string signature =
            "X-Kiosk-Signature: " + crm_contract::sign_request(o.secret, method, path, now_s, nonce_value, body);
        for (const std::string* h : {&id, &stamp, &nonce, &signature}) headers = curl_slist_append(headers, h->c_str());
        headers = curl_slist_append(headers, "Content-Type: application/json");
        std::string if_none_match = "If-None-Match: " + etag;
        if (!etag.empty()) headers = curl_slist_append(headers, if_none_match.c_str());
        std::string session = "X-Member-Session: " + member_session;
        if (!member_session.empty()) headers = curl_slist_append(headers, session.c_str());
        std::string response_etag;
        headers = curl_slist_append(headers, "Expect:");
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

        struct Sink {
            Reply* reply;
            size_t max;
        } sink{&reply, o.max_reply_bytes};
        // MAXFILESIZE does not cap every reply: count bytes here and stop past the limit.
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t n, void* user) -> size_t {
            auto* s = static_cast<Sink*>(user);
            if (s->reply->body.size() + size * n > s->max) {
                s->reply->too_big = true;
                return 0;
            }
            s->reply->body.append(data, size * n);
            return size * n;
        });
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
        curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, +[](char* data, size_t size, size_t n, void* user) -> size_t {
            std::string line(data, size * n);
            if (line.size() > 5 && (line.rfind("ETag:", 0) == 0 || line.rfind("etag:", 0) == 0)) {
                std::string value = line.substr(5);
                value.erase(0, value.find_first_not_of(" \t"));
                value.erase(value.find_last_not_of(" \t\r\n") + 1);
                static_cast<Reply*>(user)->etag = value;
            }
            return size * n;
        });
        curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply);
        char error[CURL_ERROR_SIZE] = {};
        curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);

        reply.curl = curl_easy_perform(curl);
        curl_slist_free_all(headers);
        if (reply.curl != CURLE_OK) {
            reply.error = error[0] ? error : curl_easy_strerror(reply.curl);
            if (reply.too_big) reply.error = "the CRM's reply was larger than " + std::to_string(o.max_reply_bytes) + " bytes";
            return reply;
        }
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
        curl_off_t retry_after = -1;
        if (curl_easy_getinfo(curl, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK && retry_after >= 0)
            reply.retry_after_s = retry_after;
        else if (retry_after < -1)
            reply.retry_after_s = 0;  // before curl 8.12 a date in the past comes back negative: it means now
        return reply;
    }
};

}  // namespace offline_cache
