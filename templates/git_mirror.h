// Templates and settings from git, as CNaaS-NMS keeps them
// (src/cnaas_nms/db/git.py): a local mirror of one remote branch, fetched
// with libgit2, and the files of any of its commits unpacked into a
// directory of their own (TREES/<sha>), which never changes once written. A
// job that recorded commit X renders from X's directory whatever lands on
// the branch meanwhile; a process that has not seen X yet fetches it.
//
// Layout under the mirror's directory:
//   git/            a bare repository (objects; the remote's branch under refs/remotes/origin/)
//   trees/<sha>/    one commit's files: regular files and folders only
//                   (symbolic links and submodules are left out, so a tree
//                   cannot point the renderer at a file outside it)
//
// Every remote is hostile until checked: the fetch runs under a deadline and
// a byte budget, unpacked trees are bounded in files, bytes and depth, and
// entry names that could leave the directory are refused. Error messages
// pass the secret masker (a URL's password never leaves).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace switchyard::templates {

// Where a mirror fetches from. Credentials are used for the fetch only and
// are never stored in the mirror (its remote is anonymous) or logged.
struct GitRemote {
    std::string url;                 // https://..., ssh://..., git@host:path, file:// or a local path
    std::string branch;              // empty: the remote's default branch (its HEAD)
    std::string username;            // https (or ssh's user when the URL names none)
    std::string password;            // https password or token
    std::string ssh_key_file;        // ssh
    std::string ssh_key_passphrase;  // ssh
};

// One commit as an operator reads it.
struct GitCommit {
    std::string sha;        // 40 hex digits
    std::string branch;     // the branch it was fetched as
    std::string committer;  // the committer's name (this and summary: valid UTF-8, at most 512 bytes of the remote's)
    std::string committed_at;  // "2019-06-13 10:07:32+02:00", the committer's time and offset
    std::string summary;       // the message's first line

    // CNaaS-NMS's words for it (git.py get_repo_status; cnaas-front
    // ConfigChangeStep1.js parses them): "Commit <sha> <branch> by <committer> at <time>\n".
    std::string describe() const;
};

// What a fetch or an unpacking may use at most.
struct GitLimits {
    std::uint64_t max_fetch_bytes = std::uint64_t{512} << 20;  // received over the wire in one fetch
    std::uint64_t max_tree_bytes = std::uint64_t{256} << 20;   // one commit's files together
    std::size_t max_tree_files = 20'000;
    int max_tree_depth = 32;
};

// A failed fetch, lookup or unpacking; the message names the repository by
// its masked URL and says what failed.
class GitError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class GitMirror {
public:
    GitMirror(std::filesystem::path dir, GitLimits limits = {});

    // Fetches the remote's branch and returns its tip. The fetch runs on a
    // thread of its own: past `timeout` the caller gets a GitError at once and
    // the fetch is cancelled (libgit2 stops at its next callback; one stuck
    // in a silent connection ends with it). One fetch per mirror at a time.
    GitCommit fetch(const GitRemote& remote, std::chrono::milliseconds timeout);

    // The directory holding commit `sha`'s files, unpacked on first use
    // (fetching the branch first when the commit is not in the mirror).
    // GitError when the remote no longer has it.
    std::filesystem::path tree(const GitRemote& remote, const std::string& sha, std::chrono::milliseconds timeout);

    // The commit, when the mirror has it.
    std::optional<GitCommit> describe(const std::string& sha, const std::string& branch);

    const std::filesystem::path& dir() const { return dir_; }

private:
    std::filesystem::path dir_;
    GitLimits limits_;
};

// True for 40 lowercase hex digits.
bool is_commit_sha(const std::string& text);

}  // namespace switchyard::templates
