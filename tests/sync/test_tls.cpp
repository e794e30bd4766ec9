// TLS on loopback with a test CA made by the test (openssl): a trusted
// certificate works; a self-signed one, a wrong host name and a wrong pinned
// key are all refused before any record is sent. Verification is always on.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "sync_fixture.h"

using offline_cache::RoundResult;
using offline_cache::SyncEngine;

namespace {

// Runs an openssl command in dir; the test CA and certificates are made here, never shipped.
void openssl(const std::filesystem::path& dir, const std::string& args) {
    std::string command = "cd '" + dir.string() + "' && openssl " + args + " >/dev/null 2>&1";
    INFO(command);
    REQUIRE(std::system(command.c_str()) == 0);
}

std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

struct TestPki {
    std::filesystem::path dir;
    explicit TestPki(const std::filesystem::path& where) : dir(where / "pki") {
        std::filesystem::create_directories(dir);
        // A CA, and a server certificate it signs for localhost / 127.0.0.1.
        openssl(dir, "req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=kiosk-test-ca");
        issue("good", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        issue("wronghost", "subjectAltName=DNS:crm.example.org");
        // A certificate nobody vouches for.
        openssl(dir, "req -x509 -newkey rsa:2048 -nodes -keyout self.key -out self.pem -days 2 -subj /CN=localhost "
                     "-addext subjectAltName=DNS:localhost,IP:127.0.0.1");
    }
    void issue(const std::string& name, const std::string& san) {
        openssl(dir, "req -newkey rsa:2048 -nodes -keyout " + name + ".key -out " + name + ".csr -subj /CN=" + name);
        std::ofstream(dir / (name + ".ext")) << san << "\n";
        openssl(dir, "x509 -req -in " + name + ".csr -CA ca.pem -CAkey ca.key -CAcreateserial -out " + name +
                         ".pem -days 2 -extfile " + name + ".ext");
    }
    // sha256//base64 of the certificate's public key, as CURLOPT_PINNEDPUBLICKEY wants it.
    std::string pin(const std::string& name) {
        openssl(dir, "x509 -in " + name + ".pem -pubkey -noout -out " + name + ".pub");
        openssl(dir, "pkey -pubin -in " + name + ".pub -outform der -out " + name + ".der");
        openssl(dir, "dgst -sha256 -binary -out " + name + ".sha " + name + ".der");
        openssl(dir, "base64 -A -in " + name + ".sha -out " + name + ".b64");
        return "sha256//" + read_text(dir / (name + ".b64"));
    }
};

struct TlsFixture : SyncFixture {
    TestPki pki{dir};
    void serve(const std::string& cert) {
        server.reset();
        crm_options.cert_path = (pki.dir / (cert + ".pem")).string();
        crm_options.key_path = (pki.dir / (cert + ".key")).string();
        start_server();
        sync_options.crm_url = "https://localhost:" + std::to_string(server->port());
        sync_options.ca_file = (pki.dir / "ca.pem").string();
    }
};

}  // namespace

TEST_CASE("A certificate from the trusted CA carries the records", "[sync][tls]") {
    TlsFixture f;
    f.serve("good");
    f.enqueue();
    SyncEngine engine(*f.store, f.clock, f.sync_options);
    CHECK(engine.run_once() == RoundResult::delivered);
    CHECK(f.server->count_records() == 1);

    SECTION("and with its key pinned as well") {
        f.sync_options.pinned_pubkey = f.pki.pin("good");
        SyncEngine pinned(*f.store, f.clock, f.sync_options);
        f.enqueue();
        CHECK(pinned.run_once() == RoundResult::delivered);
        CHECK(f.server->count_records() == 2);
    }
}

TEST_CASE("Untrusted TLS is refused before any record is sent", "[sync][tls]") {
    TlsFixture f;
    SECTION("a self-signed certificate") { f.serve("self"); }
    SECTION("a certificate for another host name") { f.serve("wronghost"); }
    SECTION("a trusted certificate whose key does not match the pin") {
        f.serve("good");
        f.sync_options.pinned_pubkey = f.pki.pin("self");
    }
    f.enqueue();
    SyncEngine engine(*f.store, f.clock, f.sync_options);
    CHECK(engine.run_once() == RoundResult::failed);
    CHECK(f.server->count_records() == 0);  // refused during the handshake: nothing reached the CRM
    CHECK(f.store->outbox().stats().pending == 1);
    CHECK(engine.status().last_error.find("network") != std::string::npos);
}
