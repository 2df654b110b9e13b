// Switchyard's version, as CMakeLists.txt's project() declares it (the one
// place it is written): `switchyard --version`, GET /health and the Debian
// package all show this.
#pragma once

namespace switchyard {

const char* version();

}  // namespace switchyard
