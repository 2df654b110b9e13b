#include "version.h"

// SWITCHYARD_VERSION is defined for this file alone (service/CMakeLists.txt),
// so a new version recompiles one file.
namespace switchyard {

const char* version() { return SWITCHYARD_VERSION; }

}  // namespace switchyard
