// Every secret syntax of frr, eos and junos we know of, with where it comes
// from (pattern language: secret_masker.h). The platform is documentation:
// all rules apply to every text. tests/devices/secret_masker_test.cpp holds a
// sample line of each, from the same sources.
//
// Sources:
//   FRR     FRRouting user guide (doc/user/*.rst): bgpd, ospfd, ospf6d,
//           isisd, ripd, ldpd, nhrpd, vtysh; lib/keychain.c
//   EOS     Arista EOS User Manual (security, SNMP, routing chapters);
//           NAPALM napalm/base/constants.py EOS_SANITIZE_FILTERS (with
//           CISCO_SANITIZE_FILTERS); Oxidized lib/oxidized/model/eos.rb
//   JunOS   Junos OS CLI reference ("## SECRET-DATA" values, $9$ secrets);
//           NAPALM napalm/junos/junos.py get_config(sanitized=True);
//           Oxidized lib/oxidized/model/junos.rb
#include "devices/secret_masker.h"

#include <array>

namespace switchyard::devices {
namespace {

constexpr std::array kRules = std::to_array<SecretRule>({
    // ---- any platform --------------------------------------------------
    {"any", "password [0|5|7|8|8a|9|sha512|clear|md5] SECRET",
     "FRR vtysh `password`, EOS `username ... password 7`, JunOS archive `password \"$9$\"`; Oxidized eos.rb"},
    {"any", "secret [0|5|7|8a|sha512] SECRET", "EOS `username ... secret sha512`, JunOS `secret \"$9$\"`; NAPALM"},
    {"any", "key-string [0|7|8a] SECRET", "FRR lib/keychain.c `key-string LINE`; EOS key chains, VRRP; NAPALM"},
    {"any", "authentication-key [0|7|8a] SECRET",
     "FRR ospfd `ip ospf authentication-key`, EOS `ip ospf authentication-key 7`, JunOS bgp/ospf/isis/vrrp"},
    {"any", "key (7|8a) SECRET", "EOS/IOS typed keys (`tacacs-server key 7 ...`); NAPALM `^(.*key 7) (\\d.+)$`"},

    // ---- frr -----------------------------------------------------------
    {"frr", "neighbor * password SECRET",
     "FRR bgpd `neighbor PEER password PASSWORD`, ldpd `neighbor A.B.C.D password WORD`"},
    {"frr", "ip ospf message-digest-key # md5 SECRET", "FRR ospfd `ip ospf message-digest-key KEYID md5 KEY`"},
    {"frr", "isis password [clear|md5] SECRET", "FRR isisd `isis password [clear | md5] <password>`"},
    {"frr", "area-password [clear|md5] SECRET", "FRR isisd/fabricd `area-password [clear | md5] <password>`"},
    {"frr", "domain-password [clear|md5] SECRET", "FRR isisd/fabricd `domain-password [clear | md5] <password>`"},
    {"frr", "ip rip authentication string SECRET", "FRR ripd `ip rip authentication string STRING`"},
    {"frr", "ipv6 ospf6 authentication key-id # hash-algo * key SECRET",
     "FRR ospf6d `ipv6 ospf6 authentication key-id (1-65535) hash-algo ALGO key WORD` (ospf6_auth_trailer.c)"},
    {"frr", "ip nhrp authentication SECRET", "FRR nhrpd `ip nhrp authentication PASSWORD`"},
    {"frr", "enable password [8] SECRET", "FRR vtysh `enable password PASSWORD` (8: service password-encryption)"},

    // ---- eos -----------------------------------------------------------
    {"eos", "enable (password|secret) [0|5|7|sha512] SECRET", "EOS `enable password sha512 ...`; Oxidized eos.rb"},
    {"eos", "aaa root secret [0|5|sha512] SECRET", "EOS `aaa root secret sha512 ...`; NAPALM EOS_SANITIZE_FILTERS"},
    {"eos", "snmp-server community SECRET", "EOS `snmp-server community NAME ro`; NAPALM, Oxidized eos.rb"},
    {"eos",
     "snmp-server host * [vrf *] [informs|traps] [version 1|version 2c|version 3 auth|version 3 noauth|version 3 priv] "
     "SECRET",
     "EOS `snmp-server host H [vrf V] version 2c COMMUNITY`; Oxidized eos.rb"},
    {"eos", "auth (md5|sha|sha224|sha256|sha384|sha512) SECRET",
     "EOS `snmp-server user U G v3 auth sha KEY priv aes KEY`; Oxidized eos.rb"},
    {"eos", "priv (des|3des|aes|aes128|aes192|aes256) SECRET",
     "EOS `snmp-server user ... priv aes KEY`; Oxidized eos.rb"},
    {"eos", "neighbor * password [0|7|8a] SECRET",
     "EOS `neighbor PEER password 7 ...`; NAPALM `neighbor \\S+ password`"},
    {"eos", "ip ospf message-digest-key # (md5|sha1|sha256|sha384|sha512) [0|7|8a] SECRET",
     "EOS `ip ospf message-digest-key 1 md5 7 ...`; NAPALM"},
    {"eos", "[isis] authentication key [0|7|8a] SECRET",
     "EOS IS-IS `isis authentication key 7 ...`, `authentication key 0 ...`"},
    {"eos", "key * (0|7|8a) SECRET", "EOS MACsec `mac security` profile `key CKN 7 CAK`"},
    {"eos", "(tacacs-server|radius-server) ... key [0|7|8a] SECRET",
     "EOS `tacacs-server host H key 7 ...`, `radius-server key 7 ...`; Oxidized eos.rb, NAPALM"},
    {"eos", "ntp authentication-key # (md5|sha1) [0|7|8a] SECRET", "EOS `ntp authentication-key 1 md5 7 ...`"},
    {"eos", "authentication text SECRET",
     "EOS `vrrp N peer authentication text ...`; NAPALM `vrrp \\d+ authentication text`"},
    {"eos", "secret # (0|7|8a) SECRET", "EOS `management security` shared-secret profile `secret 1 7 ...`"},
    {"eos", "passphrase [0|7|8a] SECRET", "EOS OSPFv3 `authentication ipsec spi N sha1 passphrase 7 ...`"},
    {"eos", "service unsupported-transceiver * SECRET", "EOS license key; Oxidized eos.rb"},

    // ---- junos ---------------------------------------------------------
    {"junos", "encrypted-password SECRET", "JunOS `root-authentication { encrypted-password \"$6$...\"; }`; Oxidized"},
    {"junos", "hello-authentication-key SECRET", "JunOS IS-IS `hello-authentication-key \"$9$...\"`"},
    {"junos", "pre-shared-key (ascii-text|hexadecimal) SECRET", "JunOS IKE `pre-shared-key ascii-text \"$9$...\"`"},
    {"junos", "privacy-key SECRET", "JunOS SNMPv3 usm `privacy-aes128 { privacy-key \"$9$...\"; }`"},
    {"junos", "(authentication-password|privacy-password) SECRET",
     "JunOS `set snmp v3 usm local-engine user U authentication-sha authentication-password ...`"},
    {"junos", "plain-text-password-value SECRET",
     "JunOS `set system login user U authentication plain-text-password-value ...`"},
    {"junos", "simple-password SECRET", "JunOS OSPF `authentication { simple-password \"$9$...\"; }`"},
    {"junos", "md5 # key SECRET", "JunOS OSPF `authentication { md5 1 key \"$9$...\"; }`"},
    {"junos", "authentication-key # type * value SECRET", "JunOS NTP `authentication-key 1 type md5 value \"$9$...\"`"},
    {"junos", "community SECRET {",
     "JunOS SNMP `community NAME { authorization read-only; }`; Oxidized junos.rb, NAPALM"},
    {"junos", "snmp community SECRET", "JunOS `set snmp community NAME authorization read-only`"},
});

}  // namespace

std::span<const SecretRule> secret_rules() { return kRules; }

}  // namespace switchyard::devices
