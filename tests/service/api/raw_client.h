// A client on a plain TCP socket, for the tests an HTTP library would not let
// us write: trickled headers, unread streams, bodies that never end, requests
// that are not quite HTTP. Every wait has a deadline; none sleeps and hopes.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace switchyard::testing {

struct RawResponse {
    int status = 0;
    std::string head;  // status line and header fields
    std::string body;

    bool has_header(std::string_view text) const { return head.find(text) != std::string::npos; }
};

class RawClient {
public:
    using Clock = std::chrono::steady_clock;

    // `receive_buffer` > 0: a small SO_RCVBUF, set before connecting, so that
    // a client that stops reading stalls the server's writes sooner.
    explicit RawClient(int port, int receive_buffer = 0) {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd_ < 0) throw std::runtime_error("socket: " + std::string(strerror(errno)));
        if (receive_buffer > 0) setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
        int one = 1;
        setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in at{};
        at.sin_family = AF_INET;
        at.sin_port = htons(static_cast<std::uint16_t>(port));
        at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&at), sizeof at) != 0) {
            ::close(fd_);
            throw std::runtime_error("connect: " + std::string(strerror(errno)));
        }
    }
    ~RawClient() {
        if (fd_ >= 0) ::close(fd_);
    }
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;
    RawClient(RawClient&& o) noexcept : fd_(o.fd_), pending_(std::move(o.pending_)) { o.fd_ = -1; }

    int fd() const { return fd_; }

    // Sends everything within `limit`; false when the peer closed, reset or
    // stopped reading for that long. `sent` counts what went out.
    bool send_all(std::string_view data, std::chrono::milliseconds limit = std::chrono::seconds(10),
                  std::size_t* sent = nullptr) {
        auto until = Clock::now() + limit;
        while (!data.empty()) {
            if (!wait_for(POLLOUT, until)) return false;
            ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            if (n <= 0) return false;
            data.remove_prefix(static_cast<std::size_t>(n));
            if (sent) *sent += static_cast<std::size_t>(n);
        }
        return true;
    }

    // Bytes available within `limit`; "" when the peer closed or the time ran out.
    std::string read_some(std::chrono::milliseconds limit) {
        if (!pending_.empty()) return std::exchange(pending_, {});
        auto until = Clock::now() + limit;
        char buf[65536];
        for (;;) {
            if (!wait_for(POLLIN, until)) return "";
            ssize_t n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            if (n <= 0) {
                peer_closed_ = true;
                return "";
            }
            return std::string(buf, static_cast<std::size_t>(n));
        }
    }

    // One response with a Content-Length (every non-streamed answer of ours
    // has one); nullopt when the connection closed first or time ran out.
    std::optional<RawResponse> read_response(std::chrono::milliseconds limit = std::chrono::seconds(20)) {
        auto until = Clock::now() + limit;
        std::string data = std::exchange(pending_, {});
        auto left = [&] { return std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()); };
        std::size_t end;
        while ((end = data.find("\r\n\r\n")) == std::string::npos) {
            if (left().count() <= 0) return std::nullopt;
            auto more = read_some(left());
            if (more.empty()) return std::nullopt;
            data += more;
        }
        RawResponse r;
        r.head = data.substr(0, end + 2);
        if (r.head.rfind("HTTP/1.1 ", 0) != 0 || r.head.size() < 12) return std::nullopt;
        r.status = std::stoi(r.head.substr(9, 3));
        std::string rest = data.substr(end + 4);
        if (r.status == 100) {  // interim: the final answer follows
            pending_ = rest;
            return read_response(left());
        }
        std::size_t length = 0;
        for (std::string name : {"Content-Length: ", "content-length: "}) {
            auto at = r.head.find(name);
            if (at != std::string::npos) length = std::stoul(r.head.substr(at + name.size()));
        }
        while (rest.size() < length) {
            if (left().count() <= 0) return std::nullopt;
            auto more = read_some(left());
            if (more.empty()) return std::nullopt;
            rest += more;
        }
        r.body = rest.substr(0, length);
        pending_ = rest.substr(length);
        return r;
    }

    // True once the peer has closed (EOF or reset) within `limit`; whatever
    // it sent before is appended to `received`.
    bool wait_closed(std::chrono::milliseconds limit, std::string* received = nullptr) {
        auto until = Clock::now() + limit;
        while (!peer_closed_) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
            if (left.count() <= 0) return false;
            auto more = read_some(left);
            if (received) *received += more;
        }
        return true;
    }

private:
    bool wait_for(short events, Clock::time_point until) {
        for (;;) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
            if (left <= 0) return false;
            pollfd p{fd_, events, 0};
            int n = ::poll(&p, 1, static_cast<int>(left));
            if (n > 0) return true;
            if (n < 0 && errno != EINTR) return false;
        }
    }

    int fd_ = -1;
    std::string pending_;
    bool peer_closed_ = false;
};

// "GET path HTTP/1.1" with Host and, when given, a bearer token.
inline std::string http_get(const std::string& path, const std::string& token = "") {
    return "GET " + path + " HTTP/1.1\r\nHost: test\r\n" +
           (token.empty() ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n";
}

inline std::string http_with_body(const std::string& method, const std::string& path, const std::string& token,
                                  const std::string& content_type, const std::string& body) {
    return method + " " + path + " HTTP/1.1\r\nHost: test\r\n" +
           (token.empty() ? "" : "Authorization: Bearer " + token + "\r\n") +
           (content_type.empty() ? "" : "Content-Type: " + content_type + "\r\n") +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace switchyard::testing
