// Boost.Beast and Asio stay in this file (and the fuzz target): they are slow
// to compile, and nothing else needs to know them.
#include "http_server.h"

#include "beast_request.h"

#include <spdlog/spdlog.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <array>
#include <atomic>
#include <condition_variable>
#include <limits>
#include <list>
#include <mutex>
#include <optional>
#include <thread>

namespace switchyard::api {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using beast::error_code;

// Connections waiting to be accepted (the kernel caps it at somaxconn).
constexpr int kListenBacklog = 1024;
// Connections taken from the backlog at once, beyond the one accepted.
constexpr int kAcceptBatch = 64;
// How often a streamed response's source is pulled without being woken.
constexpr auto kStreamTick = std::chrono::seconds(1);
// After a refusal whose body was never read, the rest of what the client
// sends is discarded this long (or this much) before the socket closes, so
// that the client reads the answer instead of a connection reset.
constexpr auto kLingerTime = std::chrono::seconds(1);
constexpr std::size_t kLingerBytes = 256 * 1024;
// What a connection's read buffer may hold beyond the header limit (the
// parser reads in pieces of this size).
constexpr std::size_t kReadSlack = 64 * 1024;

class ConnectionBase : public std::enable_shared_from_this<ConnectionBase> {
public:
    virtual ~ConnectionBase() = default;
    virtual void start() = 0;
    // From any thread: ends the connection once what it is doing allows.
    virtual void request_shutdown() = 0;
};

}  // namespace

struct HttpServer::Impl {
    Impl(HttpServerOptions o, const Router& r, LaneRunner l)
        : options(std::move(o)), router(r), run_on_lane(std::move(l)) {}

    HttpServerOptions options;
    const Router& router;
    LaneRunner run_on_lane;
    std::optional<ssl::context> tls;
    std::atomic<bool> stopping{false};
    bool started = false;
    int port = 0;

    mutable std::mutex mutex;
    std::condition_variable all_closed;
    std::list<std::weak_ptr<ConnectionBase>> live;
    std::size_t count = 0;  // connections alive (under `mutex`)

    std::vector<std::thread> threads;
    // Declared last, destroyed first: handlers it still holds own
    // connections, whose destructors use the members above.
    asio::io_context io;
    tcp::acceptor acceptor{asio::make_strand(io)};
    asio::steady_timer accept_retry{acceptor.get_executor()};

    std::list<std::weak_ptr<ConnectionBase>>::iterator enter(const std::shared_ptr<ConnectionBase>& c) {
        std::lock_guard lock(mutex);
        return live.insert(live.end(), c);
    }
    void leave(std::list<std::weak_ptr<ConnectionBase>>::iterator at, bool entered) {
        std::lock_guard lock(mutex);
        if (entered) live.erase(at);
        --count;
        all_closed.notify_all();
    }
    void accept();
    void on_accept(tcp::socket socket);
};

namespace {

template <class Stream>
class Connection final : public ConnectionBase {
    static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

public:
    Connection(HttpServer::Impl& server, Stream stream)
        : server_(server),
          stream_(std::move(stream)),
          buffer_(server.options.max_header_bytes + kReadSlack),
          tick_(tcp_layer().get_executor()) {}

    ~Connection() override {
        if (source_) source_->close();
        server_.leave(registered_at_, registered_);
    }

    void start() override {
        registered_at_ = server_.enter(shared_from_this());
        registered_ = true;
        if constexpr (kTls) {
            tcp_layer().expires_after(server_.options.header_timeout);
            stream_.async_handshake(ssl::stream_base::server, [self = self()](error_code ec) {
                if (ec) return self->close_now();
                self->wait_request();
            });
        } else {
            wait_request();
        }
    }

    void request_shutdown() override {
        asio::post(tcp_layer().get_executor(), [self = self()] { self->shutdown(); });
    }

private:
    enum class State { reading, handling, writing, streaming, closing };

    std::shared_ptr<Connection> self() { return std::static_pointer_cast<Connection>(shared_from_this()); }
    beast::tcp_stream& tcp_layer() { return beast::get_lowest_layer(stream_); }
    const HttpServerOptions& options() const { return server_.options; }

    void shutdown() {
        switch (state_) {
            case State::reading: close_now(); break;
            case State::streaming:
                // The source ends with a reason once the event hub stopped
                // (ApiServer::stop stops it first): sent when the client
                // reads, else the connection just closes. A source that
                // blocks (a job document) is cut.
                if (writing_ || source_->pull_blocks()) return close_now();
                close_after_ = true;
                pump();
                if (!writing_) close_now();
                break;
            case State::handling:
            case State::writing: close_after_ = true; break;
            case State::closing: break;
        }
    }

    // Keep-alive: waits for the first byte of the next request (idle
    // timeout), then gives the whole header its own deadline.
    void wait_request() {
        if (server_.stopping) return close_now();
        state_ = State::reading;
        if (buffer_.size() > 0) return read_header();
        tcp_layer().expires_after(options().idle_timeout);
        stream_.async_read_some(buffer_.prepare(4096), [self = self()](error_code ec, std::size_t n) {
            self->buffer_.commit(n);
            if (ec) return self->close_now();
            self->read_header();
        });
    }

    void read_header() {
        parser_.emplace();
        beast_glue::prepare(*parser_, options().max_header_bytes);
        tcp_layer().expires_after(options().header_timeout);
        http::async_read_header(stream_, buffer_, *parser_,
                                [self = self()](error_code ec, std::size_t) { self->on_header(ec); });
    }

    // A read that failed: answered (and closed) when it was the client's
    // mistake, just closed when the client left or a deadline passed.
    void on_read_error(error_code ec) {
        auto refusal =
            beast_glue::refusal_for(server_.router, ec, options().max_header_bytes, options().max_body_bytes);
        if (!refusal) return close_now();
        close_after_ = true;
        send(std::move(*refusal));
    }

    void on_header(error_code ec) {
        if (ec) return on_read_error(ec);
        RequestHead head = beast_glue::head_of(*parser_);
        bool has_body = head.has_body;
        keep_alive_ = parser_->get().keep_alive();
        bool expects_continue = beast::iequals(parser_->get()[http::field::expect], "100-continue");

        Admission admitted = server_.router.admit(std::move(head));
        if (admitted.refusal) {
            if (has_body) close_after_ = true;  // the body stays unread
            return send(std::move(*admitted.refusal));
        }
        route_ = admitted.route;
        request_ = std::move(admitted.request);
        principal_ = std::move(admitted.principal);
        if (!has_body) return handle();
        if (!expects_continue) return read_body();
        static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        tcp_layer().expires_after(options().write_timeout);
        asio::async_write(stream_, asio::buffer(kContinue), [self = self()](error_code ec, std::size_t) {
            if (ec) return self->close_now();
            self->read_body();
        });
    }

    void read_body() {
        beast_glue::set_body_limit(*parser_, options().max_body_bytes);
        tcp_layer().expires_after(options().body_timeout);
        http::async_read(stream_, buffer_, *parser_, [self = self()](error_code ec, std::size_t) {
            if (ec) return self->on_read_error(ec);
            self->request_.body = std::move(self->parser_->get().body());
            self->handle();
        });
    }

    // The handler runs on its lane; the response comes back to this
    // connection's strand. Nothing here touches request_ meanwhile.
    void handle() {
        state_ = State::handling;
        tcp_layer().expires_never();
        server_.run_on_lane(route_->lane, [self = self()] {
            HttpResponse res = self->server_.router.dispatch(*self->route_, self->request_, self->principal_);
            asio::post(self->tcp_layer().get_executor(),
                       [self, res = std::move(res)]() mutable { self->send(std::move(res)); });
        });
    }

    void send(HttpResponse res) {
        if (state_ == State::closing) return;
        request_ = {};
        if (res.stream) return start_stream(std::move(res));
        bool keep = keep_alive_ && !close_after_ && !server_.stopping;
        response_ = std::make_unique<http::response<http::string_body>>();
        response_->version(11);
        response_->result(static_cast<unsigned>(res.status));
        for (auto& [name, value] : res.headers) response_->set(name, value);
        if (!res.content_type.empty()) response_->set(http::field::content_type, res.content_type);
        response_->body() = std::move(res.body);
        response_->keep_alive(keep);
        response_->prepare_payload();
        state_ = State::writing;
        tcp_layer().expires_after(options().write_timeout);
        http::async_write(stream_, *response_, [self = self(), keep](error_code ec, std::size_t) {
            self->response_.reset();
            if (ec) return self->close_now();
            if (!keep || self->close_after_) return self->close_gracefully();
            self->wait_request();
        });
    }

    // --- streamed responses (Server-Sent Events) ---

    void start_stream(HttpResponse res) {
        source_ = std::move(res.stream);
        stream_lane_ = route_ ? route_->lane : Lane::workers;
        state_ = State::streaming;
        stream_head_ = std::make_unique<http::response<http::empty_body>>(http::status::ok, 11);
        for (auto& [name, value] : res.headers) stream_head_->set(name, value);
        stream_head_->set(http::field::content_type, res.content_type);
        stream_head_->chunked(true);
        stream_head_->keep_alive(false);
        stream_head_writer_ = std::make_unique<http::response_serializer<http::empty_body>>(*stream_head_);
        writing_ = true;
        tcp_layer().expires_after(options().write_timeout);
        http::async_write_header(stream_, *stream_head_writer_, [self = self()](error_code ec, std::size_t) {
            self->writing_ = false;
            if (ec) return self->close_now();
            self->tcp_layer().expires_never();
            std::weak_ptr<ConnectionBase> weak = self;
            auto strand = self->tcp_layer().get_executor();
            self->source_->open([weak, strand] {
                if (auto alive = weak.lock())
                    asio::post(strand, [alive] { static_cast<Connection*>(alive.get())->on_wake(); });
            });
            self->watch_peer();
            self->arm_tick();
            self->pump();
        });
    }

    // A stream's client sends nothing; a read that ends means it left.
    void watch_peer() {
        stream_.async_read_some(asio::buffer(discard_), [self = self()](error_code ec, std::size_t) {
            if (ec) return self->close_now();
            self->watch_peer();
        });
    }

    void arm_tick() {
        tick_.expires_after(kStreamTick);
        tick_.async_wait([self = self()](error_code ec) {
            if (ec || self->state_ != State::streaming) return;
            self->on_wake();
            self->arm_tick();
        });
    }

    void on_wake() {
        if (state_ != State::streaming || pulling_) return;
        if (writing_) {
            // A client that stopped reading stalls the write; the source
            // says when to give up on it without waiting for the timeout.
            if (source_->abandoned()) return close_now();
            woken_ = true;
            return;
        }
        pump();
    }

    void pump() {
        if (!source_->pull_blocks()) return write_pulled(pull_from_source());
        if (pulling_) return;
        pulling_ = true;
        server_.run_on_lane(stream_lane_, [self = self()] {
            auto pulled = self->pull_from_source();
            asio::post(self->tcp_layer().get_executor(), [self, pulled = std::move(pulled)]() mutable {
                self->pulling_ = false;
                if (self->state_ == State::streaming) self->write_pulled(std::move(pulled));
            });
        });
    }

    ResponseStream::Pull pull_from_source() {
        try {
            return source_->pull();
        } catch (const std::exception& e) {
            spdlog::error("API: a streamed response failed: {}", e.what());
        } catch (...) {
            spdlog::error("API: a streamed response failed");
        }
        ResponseStream::Pull failed;
        failed.cut = true;
        return failed;
    }

    void write_pulled(ResponseStream::Pull pulled) {
        if (pulled.cut) return close_now();
        if (pulled.data.empty() && !pulled.end) return;
        chunk_.clear();
        if (!pulled.data.empty()) {
            char size[20];
            std::snprintf(size, sizeof size, "%zx\r\n", pulled.data.size());
            chunk_ = size + pulled.data + "\r\n";
        }
        if (pulled.end) {
            chunk_ += "0\r\n\r\n";
            source_ended_ = true;
        }
        writing_ = true;
        tcp_layer().expires_after(options().write_timeout);
        asio::async_write(stream_, asio::buffer(chunk_), [self = self()](error_code ec, std::size_t) {
            self->writing_ = false;
            if (ec || self->source_ended_ || self->close_after_) return self->close_now();
            if (self->woken_ || self->source_->pull_blocks()) {
                self->woken_ = false;
                self->pump();
            }
        });
    }

    // --- closing ---

    void close_gracefully() {
        state_ = State::closing;
        if constexpr (kTls) {
            tcp_layer().expires_after(kLingerTime);
            stream_.async_shutdown([self = self()](error_code) { self->close_now(); });
        } else {
            error_code ignored;
            tcp_layer().socket().shutdown(tcp::socket::shutdown_send, ignored);
            tcp_layer().expires_after(kLingerTime);
            linger();
        }
    }

    void linger() {
        stream_.async_read_some(asio::buffer(discard_), [self = self()](error_code ec, std::size_t n) {
            self->lingered_ += n;
            if (ec || self->lingered_ >= kLingerBytes) return self->close_now();
            self->linger();
        });
    }

    void close_now() {
        state_ = State::closing;
        tick_.cancel();
        error_code ignored;
        tcp_layer().socket().shutdown(tcp::socket::shutdown_both, ignored);
        tcp_layer().close();
    }

    HttpServer::Impl& server_;
    Stream stream_;
    beast::flat_buffer buffer_;
    asio::steady_timer tick_;
    std::list<std::weak_ptr<ConnectionBase>>::iterator registered_at_;
    bool registered_ = false;
    State state_ = State::reading;
    bool keep_alive_ = false;
    bool close_after_ = false;

    std::optional<http::request_parser<http::string_body>> parser_;
    const Route* route_ = nullptr;
    HttpRequest request_;
    Principal principal_;
    std::unique_ptr<http::response<http::string_body>> response_;

    std::shared_ptr<ResponseStream> source_;
    Lane stream_lane_ = Lane::workers;
    bool pulling_ = false;  // a blocking source's pull() runs on a worker
    std::unique_ptr<http::response<http::empty_body>> stream_head_;
    std::unique_ptr<http::response_serializer<http::empty_body>> stream_head_writer_;
    std::string chunk_;
    bool writing_ = false;
    bool woken_ = false;
    bool source_ended_ = false;

    std::array<char, 16 * 1024> discard_;
    std::size_t lingered_ = 0;
};

}  // namespace

void HttpServer::Impl::accept() {
    acceptor.async_accept(asio::make_strand(io), [this](error_code ec, tcp::socket socket) {
        if (stopping || ec == asio::error::operation_aborted) return;
        if (ec) {
            // Out of descriptors, say: try again shortly rather than spin.
            spdlog::warn("API: accept failed: {}", ec.message());
            accept_retry.expires_after(std::chrono::milliseconds(100));
            accept_retry.async_wait([this](error_code wait) {
                if (!wait && !stopping) accept();
            });
            return;
        }
        on_accept(std::move(socket));
        // Everything else already waiting, now: one accept per completion
        // would take one turn of the I/O threads' queue each, and with
        // hundreds of busy connections ahead in that queue a new client
        // (a /health probe) waited seconds in the backlog.
        for (int i = 0; i < kAcceptBatch; ++i) {
            tcp::socket more(asio::make_strand(io));
            error_code again;
            acceptor.accept(more, again);  // non-blocking: would_block ends it
            if (again) break;
            on_accept(std::move(more));
        }
        accept();
    });
}

void HttpServer::Impl::on_accept(tcp::socket socket) {
    error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    {
        std::lock_guard lock(mutex);
        if (count >= options.max_connections) {
            if (!tls) {
                static const std::string kBusy =
                    "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: close\r\n"
                    "Content-Length: 66\r\n\r\n{\"status\": \"error\", \"message\": \"too many connections; try "
                    "again\"}";
                socket.non_blocking(true, ignored);
                socket.write_some(asio::buffer(kBusy), ignored);
            }
            socket.close(ignored);
            return;
        }
        ++count;
    }
    if (tls) {
        std::make_shared<Connection<beast::ssl_stream<beast::tcp_stream>>>(
            *this, beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), *tls))
            ->start();
    } else {
        std::make_shared<Connection<beast::tcp_stream>>(*this, beast::tcp_stream(std::move(socket)))->start();
    }
}

HttpServer::HttpServer(HttpServerOptions options, const Router& router, LaneRunner run_on_lane)
    : impl_(std::make_unique<Impl>(std::move(options), router, std::move(run_on_lane))) {
    auto& o = impl_->options;
    if (!o.tls_cert_file.empty()) {
        impl_->tls.emplace(ssl::context::tls_server);
        auto& ctx = *impl_->tls;
        ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                        ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
        error_code ec;
        ctx.use_certificate_chain_file(o.tls_cert_file, ec);
        if (!ec) ctx.use_private_key_file(o.tls_key_file, ssl::context::pem, ec);
        if (!ec && SSL_CTX_check_private_key(ctx.native_handle()) != 1) ec = asio::error::invalid_argument;
        if (ec)
            throw std::runtime_error("cannot use TLS certificate " + o.tls_cert_file + " with key " + o.tls_key_file +
                                     " (" + ec.message() + ")");
    }
    error_code ec;
    tcp::resolver resolver(impl_->io);
    auto found = resolver.resolve(o.host, std::to_string(o.port), tcp::resolver::passive, ec);
    if (ec || found.empty()) throw std::runtime_error("cannot listen on " + o.host + ": " + ec.message());
    tcp::endpoint at = found.begin()->endpoint();
    auto& acceptor = impl_->acceptor;
    acceptor.open(at.protocol(), ec);
    if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor.bind(at, ec);
    if (!ec) acceptor.listen(kListenBacklog, ec);
    if (!ec) acceptor.non_blocking(true, ec);
    if (ec)
        throw std::runtime_error("cannot listen on " + o.host + ":" + std::to_string(o.port) + " (" + ec.message() +
                                 ")");
    impl_->port = acceptor.local_endpoint().port();
}

HttpServer::~HttpServer() { stop(std::chrono::milliseconds(0)); }

void HttpServer::start() {
    impl_->started = true;
    impl_->accept();
    for (int i = 0; i < std::max(1, impl_->options.io_threads); ++i)
        impl_->threads.emplace_back([this] { impl_->io.run(); });
}

int HttpServer::port() const { return impl_->port; }

std::size_t HttpServer::connections() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->count;
}

void HttpServer::stop(std::chrono::milliseconds grace) {
    auto& s = *impl_;
    if (s.stopping.exchange(true) || !s.started) return;
    asio::post(s.acceptor.get_executor(), [&s] {
        error_code ignored;
        s.acceptor.close(ignored);
        s.accept_retry.cancel();
    });
    std::vector<std::shared_ptr<ConnectionBase>> open;
    {
        std::lock_guard lock(s.mutex);
        for (auto& weak : s.live)
            if (auto c = weak.lock()) open.push_back(std::move(c));
    }
    // Outside the lock: the last owner of a connection may be this vector,
    // and its destructor takes the lock.
    for (auto& c : open) c->request_shutdown();
    open.clear();
    {
        std::unique_lock lock(s.mutex);
        s.all_closed.wait_for(lock, grace, [&] { return s.count == 0; });
    }
    s.io.stop();
    for (auto& t : s.threads)
        if (t.joinable()) t.join();
    s.threads.clear();
}

}  // namespace switchyard::api
