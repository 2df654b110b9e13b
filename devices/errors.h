// What can go wrong talking to a device. The fan-out pool retries only
// TransientError; everything else ends that device's attempt. No message may
// contain a credential: they end up in job results.
#pragma once

#include <stdexcept>
#include <string>

namespace switchyard::devices {

class DeviceError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
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
