#include "connection.h"

#include <libssh/callbacks.h>
#include <libssh/server.h>

#include <chrono>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>

#include "shell_session.h"
#include "traffic.h"

namespace sim {

namespace {

struct Conn;

struct Chan {
    Conn* conn = nullptr;
    ssh_channel ch = nullptr;
    ssh_channel_callbacks_struct cb{};
    bool pty = false;
    bool shell_requested = false;
    bool exec_requested = false;
    std::string command;
    // Shell input not fed yet, with the time each piece was received.
    std::vector<std::pair<Clock::time_point, std::string>> input;
    bool eof = false;
    bool remote_closed = false;
    bool exec_started = false;
    bool finished = false;  // we sent exit status and closed
    std::unique_ptr<ShellSession> shell;
};

struct Conn {
    Device& dev;
    const ConnectionContext& ctx;
    ssh_session s;
    ssh_server_callbacks_struct scb{};
    bool authenticated = false;
    std::string user;
    std::vector<std::unique_ptr<Chan>> chans;
    ssh_event ev = nullptr;
};

// ---- libssh callbacks (they only record what the peer asked for) ---------

int on_password(ssh_session, const char* user, const char* password, void* ud) {
    auto* c = static_cast<Conn*>(ud);
    const auto& spec = c->dev.spec();
    if (c->dev.faults().wrong_password || spec.username != user || spec.password != password) return SSH_AUTH_DENIED;
    c->authenticated = true;
    c->user = user;
    return SSH_AUTH_SUCCESS;
}

int on_pubkey(ssh_session, const char* user, ssh_key_struct* key, char state, void* ud) {
    auto* c = static_cast<Conn*>(ud);
    if (c->dev.faults().wrong_password || c->dev.spec().username != user) return SSH_AUTH_DENIED;
    if (state != SSH_PUBLICKEY_STATE_NONE && state != SSH_PUBLICKEY_STATE_VALID) return SSH_AUTH_DENIED;
    for (ssh_key allowed : *c->ctx.authorized_keys) {
        if (ssh_key_cmp(allowed, key, SSH_KEY_CMP_PUBLIC) != 0) continue;
        // STATE_NONE is the "would you accept this key" probe: SUCCESS means PK_OK.
        if (state == SSH_PUBLICKEY_STATE_VALID) {
            c->authenticated = true;
            c->user = user;
        }
        return SSH_AUTH_SUCCESS;
    }
    return SSH_AUTH_DENIED;
}

int on_data(ssh_session, ssh_channel, void* data, uint32_t len, int, void* ud) {
    static_cast<Chan*>(ud)->input.emplace_back(Clock::now(), std::string(static_cast<const char*>(data), len));
    return static_cast<int>(len);
}
void on_eof(ssh_session, ssh_channel, void* ud) { static_cast<Chan*>(ud)->eof = true; }
void on_close(ssh_session, ssh_channel, void* ud) { static_cast<Chan*>(ud)->remote_closed = true; }
int on_pty(ssh_session, ssh_channel, const char*, int, int, int, int, void* ud) {
    static_cast<Chan*>(ud)->pty = true;
    return 0;
}
int on_window_change(ssh_session, ssh_channel, int, int, int, int, void*) { return 0; }
int on_env(ssh_session, ssh_channel, const char*, const char*, void*) { return 0; }
int on_shell(ssh_session, ssh_channel, void* ud) {
    auto* ch = static_cast<Chan*>(ud);
    if (ch->shell_requested || ch->exec_requested) return 1;
    ch->shell_requested = true;
    return 0;
}
int on_exec(ssh_session, ssh_channel, const char* command, void* ud) {
    auto* ch = static_cast<Chan*>(ud);
    if (ch->shell_requested || ch->exec_requested) return 1;
    ch->exec_requested = true;
    ch->command = command;
    return 0;
}
int on_subsystem(ssh_session, ssh_channel, const char*, void*) { return 1; }  // no sftp/netconf

ssh_channel on_channel_open(ssh_session s, void* ud) {
    auto* c = static_cast<Conn*>(ud);
    auto chan = std::make_unique<Chan>();
    chan->conn = c;
    chan->ch = ssh_channel_new(s);
    if (!chan->ch) return nullptr;
    auto& cb = chan->cb;
    cb.userdata = chan.get();
    cb.channel_data_function = on_data;
    cb.channel_eof_function = on_eof;
    cb.channel_close_function = on_close;
    cb.channel_pty_request_function = on_pty;
    cb.channel_pty_window_change_function = on_window_change;
    cb.channel_env_request_function = on_env;
    cb.channel_shell_request_function = on_shell;
    cb.channel_exec_request_function = on_exec;
    cb.channel_subsystem_request_function = on_subsystem;
    ssh_callbacks_init(&cb);
    ssh_set_channel_callbacks(chan->ch, &cb);
    ssh_channel ch = chan->ch;
    c->chans.push_back(std::move(chan));
    return ch;
}

// ---- channel work, done outside callbacks so it may block and sleep -------

void finish_channel(Chan& ch, int status) {
    if (ch.finished) return;
    ch.finished = true;
    if (status >= 0) ssh_channel_request_send_exit_status(ch.ch, status);
    ssh_channel_send_eof(ch.ch);
    ssh_channel_close(ch.ch);
}

RawWriter writer_for(Chan& ch) {
    return [&ch](std::string_view data) {
        // Endless output ends when the peer closes the channel or we stop.
        if (ch.conn->ctx.stopping->load() || ch.remote_closed) return false;
        traffic(ch.conn->dev.platform()).bytes_out += static_cast<long>(data.size());
        // libssh writes all of it, or returns what it wrote when the peer's
        // window stayed shut past the session timeout: the rest would be
        // lost mid-stream, which no device does. Such a peer is gone.
        return ssh_channel_write(ch.ch, data.data(), static_cast<uint32_t>(data.size())) ==
               static_cast<int>(data.size());
    };
}

// Keeps the session's events flowing while a shell waits for an answer to be
// due: input that arrives meanwhile is stamped with its real arrival time.
Waiter waiter_for(Conn& c, Chan& ch) {
    return [&c, &ch](Clock::time_point until) {
        for (;;) {
            if (c.ctx.stopping->load() || ch.remote_closed || !ssh_is_connected(c.s)) return false;
            // Rounded up: a wait rounded down answered up to 1 ms before the
            // latency had passed, and a client timing five answers saw 999 ms.
            const auto now = Clock::now();
            if (now >= until) return true;
            auto left = std::chrono::ceil<std::chrono::milliseconds>(until - now).count();
            if (ssh_event_dopoll(c.ev, static_cast<int>(std::min<long>(left, 100))) == SSH_ERROR) return false;
        }
    };
}

void step_channel(Conn& c, Chan& ch) {
    if (ch.finished || ch.remote_closed) return;
    if (ch.exec_requested) {
        if (ch.exec_started) return;
        ch.exec_started = true;
        auto& t = traffic(c.dev.platform());
        ++t.exec_channels;
        ++t.round_trips;
        if (is_config_read(ch.command)) ++t.config_reads;
        auto p = make_personality(c.dev, c.user, *c.ctx.clock);
        ExecResult r = run_exec_channel(c.dev, *p, ch.command);
        if (r.status < 0) return;  // hang_commands: never answer
        OutputShaper out(c.dev, ch.pty, writer_for(ch));
        out.send_output(r.output);
        finish_channel(ch, r.status);
        return;
    }
    if (!ch.shell_requested) return;
    if (!ch.shell) {
        ++traffic(c.dev.platform()).shell_channels;
        ch.shell = std::make_unique<ShellSession>(c.dev, make_personality(c.dev, c.user, *c.ctx.clock), ch.pty,
                                                  writer_for(ch), waiter_for(c, ch));
        if (!ch.shell->start()) return finish_channel(ch, 0);
    }
    // Waiting out a latency reads more input into ch.input: take one piece
    // at a time, each with its own arrival time.
    while (!ch.input.empty()) {
        auto [arrived, data] = std::move(ch.input.front());
        ch.input.erase(ch.input.begin());
        if (!ch.shell->feed(data, arrived)) return finish_channel(ch, 0);
    }
    if (ch.eof && ch.input.empty()) {
        ch.shell->finish();
        finish_channel(ch, 0);
    }
}

}  // namespace

void serve_connection(Device& dev, ssh_session session, const ConnectionContext& ctx) {
    Conn c{dev, ctx, session, {}, false, {}, {}};
    c.scb.userdata = &c;
    c.scb.auth_password_function = on_password;
    c.scb.auth_pubkey_function = on_pubkey;
    c.scb.channel_open_request_session_function = on_channel_open;
    ssh_callbacks_init(&c.scb);
    ssh_set_server_callbacks(session, &c.scb);
    ssh_set_auth_methods(session, SSH_AUTH_METHOD_PASSWORD | SSH_AUTH_METHOD_PUBLICKEY);
    long timeout = ctx.auth_timeout_seconds;
    ssh_options_set(session, SSH_OPTIONS_TIMEOUT, &timeout);

    if (ssh_handle_key_exchange(session) != SSH_OK) {
        ssh_disconnect(session);
        ssh_free(session);
        return;
    }
    ++traffic(dev.platform()).sessions;
    ssh_event ev = ssh_event_new();
    ssh_event_add_session(ev, session);
    c.ev = ev;
    const auto started = Clock::now();
    Clock::time_point idle_since{};  // valid while idle is true
    bool idle = false;
    bool dropped = false;
    try {
        while (!ctx.stopping->load()) {
            if (ssh_event_dopoll(ev, 100) == SSH_ERROR) break;
            if (!ssh_is_connected(session)) break;
            for (size_t i = 0; i < c.chans.size(); ++i) step_channel(c, *c.chans[i]);
            bool any_open = false;
            for (const auto& ch : c.chans) any_open = any_open || !(ch->finished || ch->remote_closed);
            if (!c.authenticated && Clock::now() - started > std::chrono::seconds(ctx.auth_timeout_seconds)) break;
            // Every channel done: a pooled client may open another later; hang up
            // only after a long idle spell, as a device's idle timeout would.
            if (c.authenticated && !any_open) {
                if (!idle) idle_since = Clock::now();
                else if (Clock::now() - idle_since > std::chrono::seconds(600)) break;
                idle = true;
            } else {
                idle = false;
            }
        }
    } catch (const DropSession&) {
        dropped = true;
    } catch (const std::exception& e) {
        std::cerr << dev.hostname() << ": session error: " << e.what() << "\n";
    }
    ssh_event_remove_session(ev, session);
    ssh_event_free(ev);
    if (dropped) ssh_silent_disconnect(session);
    else ssh_disconnect(session);
    ssh_free(session);  // also frees the channels
}

}  // namespace sim
