#include "placeholder_tag.h"

#include <cstdio>
#include <random>

namespace switchyard::api {

std::string placeholder_tag() {
    std::random_device random;
    char tag[64];
    std::snprintf(tag, sizeof tag, "switchyard-text-%08x%08x%08x%08x-", random(), random(), random(), random());
    return tag;
}

}  // namespace switchyard::api
