// Names the calling thread as `top -H`, `ps -L`, gdb and perf show it, so an
// operator can tell the heartbeat from the 1,000 device threads beside it.
// Linux keeps 15 bytes of a name; the rest is cut.
#pragma once

#include <pthread.h>

#include <string>

namespace switchyard::engine {

inline void name_this_thread(std::string name) {
    if (name.size() > 15) name.resize(15);
    pthread_setname_np(pthread_self(), name.c_str());
}

}  // namespace switchyard::engine
