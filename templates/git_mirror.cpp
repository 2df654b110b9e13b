// libgit2 (Debian libgit2-dev) behind GitMirror. Each call opens its own
// repository handle (libgit2 objects are not shared between threads).
#include "templates/git_mirror.h"

#include "devices/secret_masker.h"
#include "devices/valid_utf8.h"

#include <git2.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

namespace fs = std::filesystem;

namespace switchyard::templates {
namespace {

void ensure_libgit2() {
    // Reference counted by libgit2; kept for the process's life.
    static const int initialised = git_libgit2_init();
    (void)initialised;
}

std::string masked(const std::string& text) { return devices::safe_text(text); }

std::string last_git_error() {
    const git_error* e = git_error_last();
    return e && e->message ? e->message : "unknown libgit2 error";
}

// RAII for libgit2 handles.
template <typename T, void (*Free)(T*)>
struct Handle {
    T* ptr = nullptr;
    Handle() = default;
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    ~Handle() {
        if (ptr) Free(ptr);
    }
};
using Repository = Handle<git_repository, git_repository_free>;
using Remote = Handle<git_remote, git_remote_free>;
using Commit = Handle<git_commit, git_commit_free>;
using Tree = Handle<git_tree, git_tree_free>;
using Blob = Handle<git_blob, git_blob_free>;
using Reference = Handle<git_reference, git_reference_free>;

// One fetch at a time per mirror directory in this process (serve refuses a
// second process on its data directory). A flag rather than a mutex: the
// fetch thread releases what the caller's thread took.
struct FetchSlot {
    std::mutex mutex;
    std::condition_variable cv;
    bool busy = false;

    bool take_until(std::chrono::steady_clock::time_point deadline) {
        std::unique_lock lock(mutex);
        if (!cv.wait_until(lock, deadline, [&] { return !busy; })) return false;
        busy = true;
        return true;
    }
    void give_back() {
        std::lock_guard lock(mutex);
        busy = false;
        cv.notify_all();
    }
};

FetchSlot& fetch_slot(const fs::path& dir) {
    static std::mutex guard;
    static std::map<std::string, std::unique_ptr<FetchSlot>> slots;
    std::lock_guard lock(guard);
    auto& slot = slots[dir.string()];
    if (!slot) slot = std::make_unique<FetchSlot>();
    return *slot;
}

void open_repository(Repository& repo, const fs::path& git_dir) {
    std::error_code ec;
    if (fs::exists(git_dir / "HEAD", ec)) {
        if (git_repository_open_bare(&repo.ptr, git_dir.c_str()) != 0)
            throw GitError("cannot open the local mirror " + git_dir.string() + ": " + last_git_error());
        return;
    }
    fs::create_directories(git_dir, ec);
    if (git_repository_init(&repo.ptr, git_dir.c_str(), 1) != 0)
        throw GitError("cannot create the local mirror " + git_dir.string() + ": " + last_git_error());
}

std::string where(const GitRemote& r) { return "repository " + masked(r.url); }

// What a fetch's callbacks share with the thread that waits for it.
struct FetchState {
    GitRemote remote;
    std::uint64_t max_bytes = 0;
    std::atomic<bool> cancelled{false};
    int credential_attempts = 0;
    std::string failure;  // set by a callback that stopped the fetch, said better than libgit2 would

    // The outcome, for the waiting thread.
    std::mutex mutex;
    std::condition_variable done_cv;
    bool done = false;
    std::optional<GitCommit> commit;
    std::string error;
};

int on_credentials(git_credential** out, const char*, const char* username_from_url, unsigned int allowed,
                   void* payload) {
    auto* st = static_cast<FetchState*>(payload);
    if (st->cancelled) return GIT_EUSER;
    // libgit2 asks again after a refused login: once is enough to know.
    if (++st->credential_attempts > 1) {
        st->failure = "the remote refused the configured credentials";
        return GIT_EUSER;
    }
    const GitRemote& r = st->remote;
    std::string user = !r.username.empty() ? r.username : username_from_url ? username_from_url : "";
    if ((allowed & GIT_CREDENTIAL_SSH_KEY) && !r.ssh_key_file.empty())
        return git_credential_ssh_key_new(out, user.empty() ? "git" : user.c_str(), nullptr, r.ssh_key_file.c_str(),
                                          r.ssh_key_passphrase.empty() ? nullptr : r.ssh_key_passphrase.c_str());
    if ((allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) && !r.password.empty())
        return git_credential_userpass_plaintext_new(out, user.c_str(), r.password.c_str());
    if ((allowed & GIT_CREDENTIAL_USERNAME) && !user.empty()) return git_credential_username_new(out, user.c_str());
    st->failure =
        "the remote asks for credentials and none that it accepts are configured "
        "(a password or token for https, a key file for ssh)";
    return GIT_EUSER;
}

int on_transfer(const git_indexer_progress* stats, void* payload) {
    auto* st = static_cast<FetchState*>(payload);
    if (st->cancelled) return GIT_EUSER;
    if (stats->received_bytes > st->max_bytes) {
        st->failure = "the fetch passed its limit of " + std::to_string(st->max_bytes >> 20) + " MiB";
        return GIT_EUSER;
    }
    return 0;
}

int on_sideband(const char*, int, void* payload) {
    return static_cast<FetchState*>(payload)->cancelled ? GIT_EUSER : 0;
}

git_remote_callbacks callbacks_for(FetchState& st) {
    git_remote_callbacks cb = GIT_REMOTE_CALLBACKS_INIT;
    cb.credentials = on_credentials;
    cb.transfer_progress = on_transfer;
    cb.sideband_progress = on_sideband;
    cb.payload = &st;
    return cb;
}

std::string commit_time(const git_signature* sig) {
    std::time_t t = static_cast<std::time_t>(sig->when.time + sig->when.offset * 60);
    std::tm tm{};
    gmtime_r(&t, &tm);
    int off = sig->when.offset;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d%c%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, off < 0 ? '-' : '+', std::abs(off) / 60,
                  std::abs(off) % 60);
    return buf;
}

// A commit's words (committer, summary) as an operator reads them: the
// remote wrote them, so they are cut to a bound and made valid UTF-8 (they
// are stored as PostgreSQL text and sent as JSON, which take no other).
std::string commit_text(const char* text) {
    constexpr std::size_t kMaxBytes = 512;
    return devices::valid_utf8(std::string_view(text).substr(0, kMaxBytes));
}

std::optional<GitCommit> lookup_commit(git_repository* repo, const git_oid& oid, const std::string& branch) {
    Commit c;
    if (git_commit_lookup(&c.ptr, repo, &oid) != 0) return std::nullopt;
    GitCommit out;
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, &oid);
    out.sha = hex;
    out.branch = branch;
    const git_signature* sig = git_commit_committer(c.ptr);
    out.committer = sig && sig->name ? commit_text(sig->name) : "unknown";
    out.committed_at = sig ? commit_time(sig) : "";
    const char* summary = git_commit_summary(c.ptr);
    out.summary = summary ? commit_text(summary) : "";
    return out;
}

// The fetch itself, on its own thread; the outcome goes to `st`.
void run_fetch(const fs::path& git_dir, FetchState& st) {
    const GitRemote& r = st.remote;
    Repository repo;
    open_repository(repo, git_dir);
    Remote remote;
    // Anonymous (nothing of the URL or its credentials is stored in the
    // mirror), and the URL used as configured: no url.<base>.insteadOf of
    // whatever user's git config the process finds rewrites it (libgit2 1.5
    // also leaks a regex match block on every such lookup).
    git_remote_create_options create = GIT_REMOTE_CREATE_OPTIONS_INIT;
    create.repository = repo.ptr;
    create.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
    if (git_remote_create_with_opts(&remote.ptr, r.url.c_str(), &create) != 0)
        throw GitError(where(r) + ": " + last_git_error());
    git_remote_callbacks cb = callbacks_for(st);
    std::string branch = r.branch;
    if (branch.empty()) {
        // The remote's default branch, as a clone would pick it.
        if (git_remote_connect(remote.ptr, GIT_DIRECTION_FETCH, &cb, nullptr, nullptr) != 0)
            throw GitError(where(r) + ": " + (st.failure.empty() ? last_git_error() : st.failure));
        git_buf head = GIT_BUF_INIT;
        int rc = git_remote_default_branch(&head, remote.ptr);
        std::string name = rc == 0 && head.ptr ? std::string(head.ptr, head.size) : "";
        git_buf_dispose(&head);
        git_remote_disconnect(remote.ptr);
        if (name.rfind("refs/heads/", 0) != 0)
            throw GitError(where(r) + " has no default branch: set the branch to fetch");
        branch = name.substr(11);
    }
    std::string local_ref = "refs/remotes/origin/" + branch;
    int valid = 0;
    if (git_reference_name_is_valid(&valid, ("refs/heads/" + branch).c_str()) != 0 || !valid)
        throw GitError(where(r) + ": '" + branch + "' is not a valid branch name");
    std::string refspec = "+refs/heads/" + branch + ":" + local_ref;
    char* specs[] = {refspec.data()};
    git_strarray refspecs{specs, 1};
    git_fetch_options opts = GIT_FETCH_OPTIONS_INIT;
    opts.callbacks = cb;
    opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
    opts.update_fetchhead = 0;
    if (git_remote_fetch(remote.ptr, &refspecs, &opts, "switchyard fetch") != 0)
        throw GitError(where(r) + ": fetching " + branch +
                       " failed: " + (st.failure.empty() ? last_git_error() : st.failure));
    git_oid oid;
    if (git_reference_name_to_id(&oid, repo.ptr, local_ref.c_str()) != 0)
        throw GitError(where(r) + " has no branch " + branch);
    auto commit = lookup_commit(repo.ptr, oid, branch);
    if (!commit) throw GitError(where(r) + ": the tip of " + branch + " is not a commit");
    std::lock_guard lock(st.mutex);
    st.commit = std::move(commit);
}

// Writes `tree`'s blobs under `dir`, within the limits.
struct Unpacker {
    git_repository* repo;
    const GitLimits& limits;
    std::uint64_t bytes = 0;
    std::size_t files = 0;

    static bool safe_name(const std::string& name) {
        return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
               name.find('\\') == std::string::npos && name.find('\0') == std::string::npos;
    }

    void unpack(const git_tree* tree, const fs::path& dir, int depth) {
        if (depth > limits.max_tree_depth)
            throw GitError("the tree is nested deeper than " + std::to_string(limits.max_tree_depth) + " folders");
        fs::create_directories(dir);
        std::size_t n = git_tree_entrycount(tree);
        for (std::size_t i = 0; i < n; ++i) {
            const git_tree_entry* e = git_tree_entry_byindex(tree, i);
            std::string name = git_tree_entry_name(e);
            if (!safe_name(name)) throw GitError("the tree has an entry named '" + masked(name) + "'");
            git_filemode_t mode = git_tree_entry_filemode(e);
            if (mode == GIT_FILEMODE_TREE) {
                Tree sub;
                if (git_tree_lookup(&sub.ptr, repo, git_tree_entry_id(e)) != 0)
                    throw GitError("missing tree " + name + ": " + last_git_error());
                unpack(sub.ptr, dir / name, depth + 1);
            } else if (mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE) {
                Blob blob;
                if (git_blob_lookup(&blob.ptr, repo, git_tree_entry_id(e)) != 0)
                    throw GitError("missing file " + name + ": " + last_git_error());
                auto size = static_cast<std::uint64_t>(git_blob_rawsize(blob.ptr));
                bytes += size;
                if (++files > limits.max_tree_files)
                    throw GitError("the tree has more than " + std::to_string(limits.max_tree_files) + " files");
                if (bytes > limits.max_tree_bytes)
                    throw GitError("the tree's files pass " + std::to_string(limits.max_tree_bytes >> 20) + " MiB");
                std::ofstream out(dir / name, std::ios::binary);
                out.write(static_cast<const char*>(git_blob_rawcontent(blob.ptr)), static_cast<std::streamsize>(size));
                if (!out) throw GitError("cannot write " + (dir / name).string());
            }
            // Symbolic links and submodules are left out on purpose.
        }
    }
};

std::string random_suffix() {
    static std::mutex m;
    static std::mt19937_64 rng{std::random_device{}()};
    std::lock_guard lock(m);
    return std::to_string(rng());
}

}  // namespace

bool is_commit_sha(const std::string& text) {
    if (text.size() != 40) return false;
    for (char c : text)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

std::string GitCommit::describe() const {
    return "Commit " + sha + " " + branch + " by " + committer + " at " + committed_at + "\n";
}

GitMirror::GitMirror(fs::path dir, GitLimits limits) : dir_(std::move(dir)), limits_(limits) { ensure_libgit2(); }

GitCommit GitMirror::fetch(const GitRemote& remote, std::chrono::milliseconds timeout) {
    if (remote.url.empty()) throw GitError("no repository URL is configured");
    auto deadline = std::chrono::steady_clock::now() + timeout;
    auto& slot = fetch_slot(dir_);
    if (!slot.take_until(deadline))
        throw GitError(where(remote) + ": another fetch of this repository is still running (it was not done within " +
                       std::to_string(timeout.count() / 1000) + " s)");
    auto st = std::make_shared<FetchState>();
    st->remote = remote;
    st->max_bytes = limits_.max_fetch_bytes;
    // The thread keeps the state and the slot until libgit2 returns, however
    // long that is; the caller waits only until the deadline.
    std::thread([st, &slot, git_dir = dir_ / "git"] {
        std::string error;
        try {
            run_fetch(git_dir, *st);
        } catch (const std::exception& e) {
            error = e.what();
        }
        {
            std::lock_guard lock(st->mutex);
            st->error = masked(error);
            st->done = true;
            st->done_cv.notify_all();
        }
        slot.give_back();
    }).detach();
    std::unique_lock lock(st->mutex);
    if (!st->done_cv.wait_until(lock, deadline, [&] { return st->done; })) {
        st->cancelled = true;
        throw GitError(where(remote) + ": the fetch did not finish within " + std::to_string(timeout.count() / 1000) +
                       " s (it is cancelled)");
    }
    if (!st->error.empty()) throw GitError(st->error);
    return *st->commit;
}

std::optional<GitCommit> GitMirror::describe(const std::string& sha, const std::string& branch) {
    if (!is_commit_sha(sha)) return std::nullopt;
    std::error_code ec;
    if (!fs::exists(dir_ / "git" / "HEAD", ec)) return std::nullopt;
    Repository repo;
    open_repository(repo, dir_ / "git");
    git_oid oid;
    if (git_oid_fromstr(&oid, sha.c_str()) != 0) return std::nullopt;
    return lookup_commit(repo.ptr, oid, branch);
}

fs::path GitMirror::tree(const GitRemote& remote, const std::string& sha, std::chrono::milliseconds timeout) {
    if (!is_commit_sha(sha)) throw GitError("'" + masked(sha) + "' is not a commit id");
    fs::path target = dir_ / "trees" / sha;
    std::error_code ec;
    if (fs::is_directory(target, ec)) return target;
    if (!describe(sha, remote.branch)) {
        fetch(remote, timeout);
        if (!describe(sha, remote.branch))
            throw GitError(where(remote) + " no longer has commit " + sha + " on " +
                           (remote.branch.empty() ? "its default branch" : "branch " + remote.branch));
    }
    Repository repo;
    open_repository(repo, dir_ / "git");
    git_oid oid;
    git_oid_fromstr(&oid, sha.c_str());
    Commit commit;
    Tree tree;
    if (git_commit_lookup(&commit.ptr, repo.ptr, &oid) != 0 || git_commit_tree(&tree.ptr, commit.ptr) != 0)
        throw GitError(where(remote) + ": cannot read commit " + sha + ": " + last_git_error());
    // Unpacked aside and renamed into place: a reader never sees half a tree,
    // and two unpacking at once leave one.
    fs::path partial = dir_ / "trees" / (".partial-" + sha + "-" + random_suffix());
    try {
        Unpacker{repo.ptr, limits_}.unpack(tree.ptr, partial, 0);
    } catch (const GitError& e) {
        fs::remove_all(partial, ec);
        throw GitError(where(remote) + ", commit " + sha + ": " + e.what());
    } catch (const fs::filesystem_error& e) {
        fs::remove_all(partial, ec);
        throw GitError(where(remote) + ", commit " + sha + ": " + e.what());
    }
    fs::rename(partial, target, ec);
    if (ec) {
        fs::remove_all(partial, ec);
        if (!fs::is_directory(target, ec))
            throw GitError("cannot move the tree of " + sha + " into " + target.string());
    }
    return target;
}

}  // namespace switchyard::templates
