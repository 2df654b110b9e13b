// What can go wrong talking to a device. The fan-out pool retries only
// TransientError; everything else ends that device's attempt. No message may
// contain a credential: they end up in job results. Messages often quote
// what the device printed, so they are made valid UTF-8 here.
#pragma once

#include <stdexcept>
#include <string>

#include "devices/valid_utf8.h"

namespace switchyard::devices {

class DeviceError : public std::runtime_error {
public:
    explicit DeviceError(const std::string& what) : std::runtime_error(valid_utf8(what)) {}
};

// The device could not be reached or dropped the connection before any
// command was sent: trying again shortly is safe and often works.
class TransientError : public DeviceError {
public:
    using DeviceError::DeviceError;
};

class AuthError : public DeviceError {
public:
    using DeviceError::DeviceError;
};

// Unknown host key (strict) or a key different from the remembered one.
class HostKeyError : public DeviceError {
public:
    using DeviceError::DeviceError;
};

class TimeoutError : public DeviceError {
public:
    using DeviceError::DeviceError;
};

// The device answered a command with an error (`% ...`, `error: ...`).
class CommandError : public DeviceError {
public:
    using DeviceError::DeviceError;
};

}  // namespace switchyard::devices
