#include "data_dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace switchyard::store {

DataDirLock::DataDirLock(const std::string& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw std::runtime_error("cannot create data directory " + dir + ": " + ec.message());
    std::string path = dir + "/switchyard.lock";
    // O_CLOEXEC: PostgreSQL's processes, started from here, must not inherit
    // the lock and keep it after we exit.
    fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
    if (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        char buf[32] = {};
        ssize_t n = pread(fd_, buf, sizeof buf - 1, 0);
        std::string holder = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "unknown";
        while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
        close(fd_);
        fd_ = -1;
        throw std::runtime_error("data directory " + dir + " is in use by another switchyard process (pid " + holder +
                                 "); stop it first or choose another --data-dir");
    }
    std::string pid = std::to_string(getpid()) + "\n";
    if (ftruncate(fd_, 0) == 0) (void)!pwrite(fd_, pid.data(), pid.size(), 0);
}

DataDirLock::~DataDirLock() {
    if (fd_ >= 0) close(fd_);  // releases the flock
}

}  // namespace switchyard::store
