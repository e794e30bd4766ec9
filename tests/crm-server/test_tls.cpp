// With --cert/--key the CRM serves HTTPS: a client that trusts the certificate
// and verifies it talks to it as before; plain HTTP to that port gets nothing.
// The full trust matrix (CA, wrong host, pinning) is in tests/sync/test_tls.cpp.
#include <cstdlib>

#include "crm_fixture.h"

TEST_CASE("With a certificate and key the CRM serves HTTPS, and only HTTPS", "[crm][tls]") {
    CrmFixture f;
    // A self-signed certificate for 127.0.0.1, made here for the test, never shipped.
    std::string command = "cd '" + f.dir.string() +
                          "' && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
                          "-keyout crm.key -out crm.pem -days 2 -subj /CN=127.0.0.1 "
                          "-addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1";
    REQUIRE(std::system(command.c_str()) == 0);
    f.options.cert_path = (f.dir / "crm.pem").string();
    f.options.key_path = (f.dir / "crm.key").string();
    f.start();

    httplib::SSLClient tls("127.0.0.1", f.server->port());
    tls.set_ca_cert_path(f.options.cert_path.c_str());
    tls.enable_server_certificate_verification(true);
    std::string body = json{{"records", json::array({record("tls-1", "feedback", {{"face", 3}})})}}.dump();
    auto res = tls.Post("/api/v1/outbox/batch", f.signed_headers("POST", "/api/v1/outbox/batch", body, {}), body,
                        "application/json");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(f.server->count_records() == 1);

    httplib::Client plain("127.0.0.1", f.server->port());
    plain.set_read_timeout(2);
    auto refused = plain.Post("/api/v1/outbox/batch", f.signed_headers("POST", "/api/v1/outbox/batch", body, {}), body,
                              "application/json");
    CHECK_FALSE(refused);

    SECTION("a missing certificate stops the start with a reason") {
        crm::CrmOptions broken = f.options;
        broken.cert_path = (f.dir / "missing.pem").string();
        crm::CrmServer server(broken, f.clock);
        std::string error;
        CHECK_FALSE(server.start(&error));
        CHECK(error.find("missing.pem") != std::string::npos);
    }
}
