// An exclusive lock on a data directory, held for the life of the process, so
// that a second `serve` on the same directory stops with a clear message
// instead of sharing (and corrupting) the embedded cluster.
#pragma once

#include <string>

namespace switchyard::store {

class DataDirLock {
public:
    // Creates the directory when missing. Throws std::runtime_error naming the
    // directory and the pid holding it when another process has it.
    explicit DataDirLock(const std::string& dir);
    ~DataDirLock();
    DataDirLock(const DataDirLock&) = delete;
    DataDirLock& operator=(const DataDirLock&) = delete;

private:
    int fd_ = -1;
};

}  // namespace switchyard::store
