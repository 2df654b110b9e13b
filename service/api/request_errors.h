// What a route throws when a request cannot be served; the router turns each
// into its status code with the message (service/api/router.h).
#pragma once

#include <stdexcept>

namespace switchyard::api {

// 400: the request is malformed or a value is out of range.
class BadRequest : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// 404: the thing named does not exist.
class NotFound : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace switchyard::api
