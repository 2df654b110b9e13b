// A fixed set of threads running tasks in the order they were submitted.
//
// The API's handlers run here, not on the threads that read and write
// sockets: a slow database then delays only the requests that wait for it.
// Each connection has at most one request in flight, so with FIFO order a
// new client waits behind at most one request per busy connection.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace switchyard::api {

class WorkerPool {
public:
    WorkerPool(std::string name, int threads);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    void submit(std::function<void()> task);
    // Finishes the tasks running now, drops those still waiting (their
    // captures are released) and joins the threads. Idempotent.
    void stop();

private:
    void run();

    std::string name_;
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<std::function<void()>> tasks_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace switchyard::api
