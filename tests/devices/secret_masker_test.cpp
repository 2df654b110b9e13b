// The secret masker against config lines of each platform, written as the
// platform prints them. Each sample names where its syntax comes from; every
// rule of devices/secret_rules.cpp has at least one sample (checked below).
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include "devices/secret_masker.h"
#include "devices/valid_utf8.h"

using namespace switchyard::devices;

namespace {

struct Sample {
    const char* platform;
    const char* source;
    std::string line;
    std::vector<std::string> secrets;  // must not survive
    std::string kept;                  // must survive (the keyword, the structure)
};

const std::vector<Sample>& samples() {
    // One sample per line: a table, as issue 9 wrote it.
    // clang-format off
    static const std::vector<Sample> s = {
        // The ten of issue 9's table.
        {"frr", "FRR bgpd: neighbor PEER password PASSWORD", " neighbor 10.0.0.2 password Bgp-S3cret!", {"Bgp-S3cret!"}, "neighbor 10.0.0.2 password ****"},
        {"eos", "EOS BGP (running-config form)", "   neighbor 10.0.0.2 password 7 Hl0Bgq9dvN0N0ctsBxwZfg==", {"Hl0Bgq9dvN0N0ctsBxwZfg=="}, "password 7 ****"},
        {"frr", "FRR lib/keychain.c: key-string LINE", "  key-string RotatingKey2024", {"RotatingKey2024"}, "key-string ****"},
        {"frr", "FRR isisd: isis password [clear | md5] <password>", " isis password md5 IsisHelloKey", {"IsisHelloKey"}, "isis password md5 ****"},
        {"frr", "FRR isisd: domain-password [clear | md5] <password>", " domain-password clear IsisDomainKey authenticate snp validate", {"IsisDomainKey"}, "domain-password clear **** authenticate snp validate"},
        {"eos", "EOS snmp-server user ... v3 auth sha ... priv aes ...", "snmp-server user ops netops v3 localized 0000000000000000 auth sha 6b5e5a8c1d6e4b0f priv aes 2c7d9e1f4a8b3c6d", {"6b5e5a8c1d6e4b0f", "2c7d9e1f4a8b3c6d"}, "auth sha **** priv aes ****"},
        {"junos", "JunOS IKE policy pre-shared-key ascii-text", "        pre-shared-key ascii-text \"$9$Hk5FCtOIcyKvLSrv8X-Vb2aZU\"; ## SECRET-DATA", {"$9$Hk5FCtOIcyKvLSrv8X-Vb2aZU", "Hk5FCtOIcyKvLSrv8X"}, "pre-shared-key ascii-text \"****\"; ## SECRET-DATA"},
        {"junos", "JunOS BGP group authentication-key", "            authentication-key \"$9$dMb4aUHkqfTzJGDk.mfTz\"; ## SECRET-DATA", {"dMb4aUHkqfTzJGDk"}, "authentication-key \"****\";"},
        {"junos", "JunOS SNMPv3 usm privacy-key", "                        privacy-key \"$9$8GfX-wYoJDikUDHmTz36\"; ## SECRET-DATA", {"8GfX-wYoJDikUDHmTz36"}, "privacy-key \"****\";"},
        {"eos", "EOS snmp-server community; NAPALM/Oxidized", "snmp-server community Publ1cCommunity ro", {"Publ1cCommunity"}, "snmp-server community **** ro"},

        // frr
        {"frr", "FRR vtysh: password PASSWORD", "password zebraPass", {"zebraPass"}, "password ****"},
        {"frr", "FRR vtysh: enable password (service password-encryption)", "enable password 8 Rr4nd0mEnc", {"Rr4nd0mEnc"}, "enable password 8 ****"},
        {"frr", "FRR ospfd: ip ospf authentication-key AUTH_KEY", " ip ospf authentication-key OspfKey1", {"OspfKey1"}, "ip ospf authentication-key ****"},
        {"frr", "FRR ospfd: ip ospf message-digest-key KEYID md5 KEY", " ip ospf message-digest-key 1 md5 OspfMd5Key", {"OspfMd5Key"}, "message-digest-key 1 md5 ****"},
        {"frr", "FRR isisd: area-password [clear | md5] <password>", " area-password md5 IsisAreaKey", {"IsisAreaKey"}, "area-password md5 ****"},
        {"frr", "FRR ripd: ip rip authentication string STRING", " ip rip authentication string RipKey99", {"RipKey99"}, "ip rip authentication string ****"},
        {"frr", "FRR ospf6d (ospf6_auth_trailer.c config write)", " ipv6 ospf6 authentication key-id 1 hash-algo hmac-sha-256 key MySecretKey123", {"MySecretKey123"}, "hash-algo hmac-sha-256 key ****"},
        {"frr", "FRR nhrpd: ip nhrp authentication PASSWORD", " ip nhrp authentication NhrpPw", {"NhrpPw"}, "ip nhrp authentication ****"},
        {"frr", "FRR ldpd: neighbor A.B.C.D password WORD", "  neighbor 10.0.0.9 password LdpPw", {"LdpPw"}, "password ****"},

        // eos
        {"eos", "EOS username ... secret sha512; NAPALM EOS_SANITIZE_FILTERS", "username admin privilege 15 role network-admin secret sha512 $6$Zx1Wq0Ab$0123456789abcdefABCDEF", {"$6$Zx1Wq0Ab$0123456789abcdefABCDEF", "0123456789abcdef"}, "secret sha512 ****"},
        {"eos", "EOS username ... secret 5 (NAPALM mocked EOS config)", "username vagrant privilege 15 role network-admin secret 5 $1$l/6gq.Qs$ifURvKWUYzLm0RqmRgr.W1", {"ifURvKWUYzLm0RqmRgr.W1"}, "secret 5 ****"},
        {"eos", "EOS aaa root secret; NAPALM EOS_SANITIZE_FILTERS", "aaa root secret sha512 $6$rootsalt$RootHashValue", {"RootHashValue"}, "aaa root secret sha512 ****"},
        {"eos", "EOS enable password; Oxidized eos.rb", "enable password sha512 $6$en$EnableHash", {"EnableHash"}, "enable password sha512 ****"},
        {"eos", "EOS enable secret; Oxidized eos.rb", "enable secret 0 PlainEnable", {"PlainEnable"}, "enable secret 0 ****"},
        {"eos", "EOS snmp-server host ... version 2c COMMUNITY; Oxidized eos.rb", "snmp-server host 192.0.2.10 vrf MGMT version 2c TrapComm", {"TrapComm"}, "version 2c ****"},
        {"eos", "EOS snmp-server user ... auth sha256 ... priv aes256", "snmp-server user u2 g2 v3 auth sha256 AuthKey256 priv aes256 PrivKey256", {"AuthKey256", "PrivKey256"}, "auth sha256 **** priv aes256 ****"},
        {"eos", "EOS ip ospf authentication-key 7; NAPALM", "   ip ospf authentication-key 7 LkW0lbv3bB0=", {"LkW0lbv3bB0="}, "authentication-key 7 ****"},
        {"eos", "EOS ip ospf message-digest-key N md5 7; NAPALM", "   ip ospf message-digest-key 1 md5 7 Q0RFRkdISUo=", {"Q0RFRkdISUo="}, "message-digest-key 1 md5 7 ****"},
        {"eos", "EOS IS-IS interface isis authentication key 7", "   isis authentication key 7 U2VjcmV0SXNpcw==", {"U2VjcmV0SXNpcw=="}, "isis authentication key 7 ****"},
        {"eos", "EOS router isis authentication key 0 ... level-2", "   authentication key 0 IsisPlain level-2", {"IsisPlain"}, "authentication key 0 **** level-2"},
        {"eos", "EOS tacacs-server host ... key 7; Oxidized eos.rb", "tacacs-server host 192.0.2.5 vrf MGMT key 7 070C285F4D06", {"070C285F4D06"}, "key 7 ****"},
        {"eos", "EOS tacacs-server key 7; NAPALM", "tacacs-server key 7 094F471A1A0A", {"094F471A1A0A"}, "tacacs-server key 7 ****"},
        {"eos", "EOS radius-server host ... key 7; Oxidized eos.rb", "radius-server host 192.0.2.6 key 7 15060E1F10", {"15060E1F10"}, "key 7 ****"},
        {"eos", "EOS ntp authentication-key N md5 7", "ntp authentication-key 1 md5 7 06120A2D4F", {"06120A2D4F"}, "ntp authentication-key 1 md5 7 ****"},
        {"eos", "EOS vrrp peer authentication text; NAPALM", "   vrrp 1 peer authentication text VrrpText", {"VrrpText"}, "authentication text ****"},
        {"eos", "EOS vrrp peer authentication ietf-md5 key-string 7", "   vrrp 1 peer authentication ietf-md5 key-string 7 VrrpMd5Key", {"VrrpMd5Key"}, "key-string 7 ****"},
        {"eos", "EOS management security shared-secret profile", "      secret 1 7 046E1803362E595C260E0B240619050A2D receive-lifetime infinite", {"046E1803362E595C260E0B240619050A2D"}, "secret 1 7 **** receive-lifetime infinite"},
        {"eos", "EOS MACsec profile key CKN 7 CAK", "      key 1234abcd 7 MacsecCakValue", {"MacsecCakValue"}, "key 1234abcd 7 ****"},
        {"eos", "EOS OSPFv3 ipsec passphrase", "   ipv6 ospf authentication ipsec spi 256 sha1 passphrase 7 Ospf3Pass", {"Ospf3Pass"}, "passphrase 7 ****"},
        {"eos", "EOS service unsupported-transceiver; Oxidized eos.rb", "service unsupported-transceiver acme 1a2b3c4d", {"1a2b3c4d"}, "service unsupported-transceiver acme ****"},

        // junos
        {"junos", "JunOS root-authentication (Oxidized spec data srx300_22.4)", "    encrypted-password \"very-secret-encrypted-password\"; ## SECRET-DATA", {"very-secret-encrypted-password"}, "encrypted-password \"****\"; ## SECRET-DATA"},
        {"junos", "JunOS login user encrypted-password", "            encrypted-password \"$6$salt$LoginHash\";", {"LoginHash"}, "encrypted-password \"****\";"},
        {"junos", "JunOS radius-server secret", "    radius-server 192.0.2.7 secret \"$9$RadSecretXyz\"; ## SECRET-DATA", {"RadSecretXyz"}, "secret \"****\";"},
        {"junos", "JunOS tacplus-server secret, no SECRET-DATA comment (display set)", "set system tacplus-server 192.0.2.8 secret TacPlain", {"TacPlain"}, "secret ****"},
        {"junos", "JunOS authentication-key-chains key secret", "                secret \"$9$KeyChainSecret\"; ## SECRET-DATA", {"KeyChainSecret"}, "secret \"****\";"},
        {"junos", "JunOS IS-IS hello-authentication-key", "            level 2 hello-authentication-key \"$9$IsisHelloSecret\"; ## SECRET-DATA", {"IsisHelloSecret"}, "hello-authentication-key \"****\";"},
        {"junos", "JunOS IKE pre-shared-key hexadecimal", "        pre-shared-key hexadecimal 0a1b2c3d4e5f;", {"0a1b2c3d4e5f"}, "pre-shared-key hexadecimal ****;"},
        {"junos", "JunOS set snmp v3 usm authentication-password", "set snmp v3 usm local-engine user u1 authentication-sha authentication-password AuthPw12345", {"AuthPw12345"}, "authentication-password ****"},
        {"junos", "JunOS set snmp v3 usm privacy-password", "set snmp v3 usm local-engine user u1 privacy-aes128 privacy-password PrivPw12345", {"PrivPw12345"}, "privacy-password ****"},
        {"junos", "JunOS set system login plain-text-password-value", "set system login user ops authentication plain-text-password-value PlainLogin", {"PlainLogin"}, "plain-text-password-value ****"},
        {"junos", "JunOS OSPF simple-password", "                    simple-password \"$9$OspfSimple\"; ## SECRET-DATA", {"OspfSimple"}, "simple-password \"****\";"},
        {"junos", "JunOS OSPF md5 N key", "                    md5 1 key \"$9$OspfMd5Junos\"; ## SECRET-DATA", {"OspfMd5Junos"}, "md5 1 key \"****\";"},
        {"junos", "JunOS NTP authentication-key N type md5 value", "    authentication-key 1 type md5 value \"$9$NtpKeyValue\"; ## SECRET-DATA", {"NtpKeyValue"}, "authentication-key 1 type md5 value \"****\";"},
        {"junos", "JunOS snmp community; Oxidized junos.rb, NAPALM", "    community SnmpJunosComm {", {"SnmpJunosComm"}, "community **** {"},
        {"junos", "JunOS set snmp community", "set snmp community SnmpSetComm authorization read-only", {"SnmpSetComm"}, "snmp community **** authorization"},
        {"junos", "JunOS archive-sites password (Oxidized spec data srx300_22.4)", "            \"ftp://demouser2@203.0.113.11/backup/\" password \"$9$FAKEHASHDATAXXXXXXXXXXXXXXXXXXXX\"; ## SECRET-DATA", {"FAKEHASHDATAXXXXXXXXXXXXXXXXXXXX"}, "password \"****\";"},
        {"junos", "JunOS archive-sites URL user info (Oxidized junos.rb)", "            \"pasvftp://demouser:CorrectHorseBattery@203.0.113.10/backup/\";", {"CorrectHorseBattery"}, "pasvftp://demouser:****@203.0.113.10/backup/"},
        {"junos", "JunOS VRRP authentication-key", "                        authentication-key \"$9$VrrpJunosKey\"; ## SECRET-DATA", {"VrrpJunosKey"}, "authentication-key \"****\";"},
    };
    // clang-format on
    return s;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("every sample's secret is masked, its keyword kept", "[masker]") {
    for (const auto& s : samples()) {
        INFO(s.platform << " | " << s.source << "\n  in:  " << s.line);
        const std::string out = mask_secrets(s.line);
        INFO("  out: " << out);
        for (const auto& secret : s.secrets) CHECK_FALSE(has(out, secret));
        CHECK(has(out, s.kept));
    }
}

TEST_CASE("samples are masked inside a unified diff and an error message too", "[masker]") {
    for (const auto& s : samples()) {
        std::string line = s.line;
        auto first = line.find_first_not_of(' ');
        std::string bare = line.substr(first);
        for (const std::string& text :
             {"+" + bare, "-" + bare, "+" + line, " " + line, "device r1: '" + bare + "' rejected: % Invalid input"}) {
            INFO(s.source << "\n  in:  " << text);
            const std::string out = mask_secrets(text);
            INFO("  out: " << out);
            for (const auto& secret : s.secrets) CHECK_FALSE(has(out, secret));
        }
    }
}

TEST_CASE("every rule has a sample", "[masker]") {
    // A rule nobody tests is a rule nobody knows works: each rule's keyword
    // (its first word) appears in some sample of the same platform.
    for (const auto& rule : secret_rules()) {
        std::string p(rule.pattern);
        std::string first =
            p.substr(p.find_first_not_of("([|"), p.find_first_of(" |)]", 1) - p.find_first_not_of("([|"));
        bool found = false;
        for (const auto& s : samples())
            if (has(s.line, first) && (rule.platform == "any" || rule.platform == s.platform)) found = true;
        INFO(rule.pattern);
        CHECK(found);
    }
}

TEST_CASE("what is not a secret stays as it was", "[masker]") {
    const std::vector<std::string> plain = {
        "router bgp 65001",
        " neighbor 10.0.0.2 remote-as 65002",
        " neighbor 10.0.0.2 send-community extended",
        "key chain OSPF-KEYS",
        " key 1",
        "snmp-server location lab-rack-4",
        "snmp-server contact noc@example.net",
        "service password-encryption",
        "username ops nopassword",
        "        community MY-COMM members 65000:100;",
        "            then community add MY-COMM;",
        "                authentication-type md5;",
        "  ip ospf authentication message-digest",
        "interface Ethernet1",
        "   description uplink to core (see https://wiki.example/net)",
        "--- running",
        "+++ intended",
        "@@ -1,3 +1,4 @@",
        "                key 0 {",
        "",
    };
    for (const auto& line : plain) {
        INFO(line);
        CHECK(mask_secrets(line) == line);
    }
}

TEST_CASE("a whole config keeps its shape: lines, order, newlines", "[masker]") {
    const std::string config =
        "frr version 8.4\n!\nrouter bgp 65001\n neighbor 10.0.0.2 password S3cret\n neighbor 10.0.0.2 remote-as 65002\n"
        "!\nkey chain K\n key 1\n  key-string Abc\n!\nend\n";
    const std::string expected =
        "frr version 8.4\n!\nrouter bgp 65001\n neighbor 10.0.0.2 password ****\n neighbor 10.0.0.2 remote-as 65002\n"
        "!\nkey chain K\n key 1\n  key-string ****\n!\nend\n";
    CHECK(mask_secrets(config) == expected);
    CHECK(mask_secrets("no newline at the end password x") == "no newline at the end password ****");
    CHECK(mask_secrets("crlf password x\r\nnext") == "crlf password ****\r\nnext");
}

TEST_CASE("a PEM private key block is masked between its armour lines", "[masker]") {
    const std::string text =
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx\n  abcdefgh\n-----END RSA PRIVATE KEY-----\nafter\n";
    const std::string out = mask_secrets(text);
    CHECK_FALSE(has(out, "MIIEowIBAAKCAQEAx"));
    CHECK_FALSE(has(out, "abcdefgh"));
    CHECK(has(out, "-----END RSA PRIVATE KEY-----\nafter\n"));
}

TEST_CASE("huge lines are masked without running out of stack (400,000 characters)", "[masker]") {
    // The std::regex masker this replaced overflowed the stack here.
    std::string line = " description " + std::string(400000, 'x') + " password Hidden1";
    std::string out = mask_secrets(line);
    CHECK(out.size() == line.size() - std::string("Hidden1").size() + kSecretMask.size());
    CHECK_FALSE(has(out, "Hidden1"));
    std::string words;
    for (int i = 0; i < 60000; ++i) words += "password ";
    CHECK_NOTHROW(mask_secrets(words));
    std::string quotes(400000, '"');
    CHECK(mask_secrets(quotes) == quotes);
    std::string skips = "tacacs-server";
    for (int i = 0; i < 50000; ++i) skips += " tacacs-server host";
    CHECK_NOTHROW(mask_secrets(skips));
}

TEST_CASE("safe_text: valid UTF-8, then masked; safe_json walks a document", "[masker]") {
    CHECK(safe_text("description Gr\xfcn password x") == "description Gr\xEF\xBF\xBDn password ****");
    nlohmann::json doc = {{"devices", {{"r1", {{"diff", "+ neighbor 1.1.1.1 password abc"}, {"n", 3}}}}},
                          {"k\xff", {"x", "secret s3"}}};
    auto safe = safe_json(doc);
    CHECK(safe["devices"]["r1"]["diff"] == "+ neighbor 1.1.1.1 password ****");
    CHECK(safe["devices"]["r1"]["n"] == 3);
    CHECK(safe["k\xEF\xBF\xBD"][1] == "secret ****");
    CHECK_NOTHROW(safe.dump());
    nlohmann::json deep = "x";
    for (int i = 0; i < 1000; ++i) deep = nlohmann::json::array({deep});
    CHECK_NOTHROW(safe_json(deep).dump());
}

TEST_CASE("make_safe changes a document in place as safe_json copies it", "[masker]") {
    nlohmann::json doc = {{"devices", {{"r1", {{"diff", "+ snmp-server community s3cr3t RO"}, {"ok", true}}}}},
                          {"settings", {{"bgp_password", "pw"}, {"Gr\xfcn", "uplink"}}}};
    auto copied = safe_json(doc);
    make_safe(doc);
    CHECK(doc == copied);
    CHECK(doc["settings"]["bgp_password"] == "****");
    CHECK(doc["settings"]["Gr\xEF\xBF\xBDn"] == "uplink");
    CHECK(doc["devices"]["r1"]["diff"].get<std::string>().find("s3cr3t") == std::string::npos);
}

TEST_CASE("valid_utf8 replaces what is not UTF-8 and keeps what is", "[utf8]") {
    CHECK(valid_utf8("plain ascii") == "plain ascii");
    CHECK(valid_utf8("Gr\xC3\xBCn \xF0\x9F\x98\x80") == "Gr\xC3\xBCn \xF0\x9F\x98\x80");
    CHECK(valid_utf8("Gr\xFCn") == "Gr\xEF\xBF\xBDn");      // Latin-1
    CHECK(valid_utf8("a\xE2\x82 b") == "a\xEF\xBF\xBD b");  // truncated sequence
    CHECK(valid_utf8("\xC0\xAF") == "\xEF\xBF\xBD");        // overlong '/'
    CHECK(valid_utf8("\xED\xA0\x80x") == "\xEF\xBF\xBDx");  // surrogate
    CHECK(valid_utf8(std::string("nul\0byte", 8)) ==
          "nul\xEF\xBF\xBD"
          "byte");  // PostgreSQL refuses NUL
    CHECK(valid_utf8("end\xE2\x82") == "end\xEF\xBF\xBD");
    CHECK(is_valid_utf8(valid_utf8("\xFF\xFE\xFD")));
}
