// GitMirror against a local bare repository made with git(1): fetch a
// branch, unpack a commit's files, keep an older commit's files while newer
// commits land, fetch a commit another process recorded, and refuse what a
// hostile remote could send (too many files, names that leave the tree).
#include "templates/git_mirror.h"
#include "devices/valid_utf8.h"
#include "temp_tree.h"

#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>

using namespace switchyard::templates;
using switchyard::templates::test::TempTree;
using namespace std::chrono_literals;

namespace {

// Runs a shell command in `dir`; its standard output, trimmed. FAILS the
// test with what to install when git is missing.
std::string sh(const std::string& dir, const std::string& command) {
    std::string full = "cd '" + dir + "' && " + command + " 2>&1";
    FILE* p = popen(full.c_str(), "r");
    REQUIRE(p);
    std::string out;
    std::array<char, 4096> buf;
    while (auto n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
    int rc = pclose(p);
    INFO(command << ": " << out);
    REQUIRE(rc == 0);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
}

std::string read(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// A bare repository "remote.git" and a working copy "work" that pushes to it.
struct Remote {
    TempTree tree;
    std::string work = tree.path("work");
    std::string bare = tree.path("remote.git");

    Remote() {
        INFO("git(1) is needed for this test: apt-get install git");
        REQUIRE(std::system("git --version >/dev/null 2>&1") == 0);
        sh(tree.path(), "git init -q --bare -b main remote.git && git init -q -b main work");
        sh(work,
           "git config user.name 'Ann Operator' && git config user.email ann@example.net && "
           "git remote add origin '" +
               bare + "'");
    }
    // Writes the files, commits them and pushes; the new commit's sha.
    std::string commit(const std::vector<std::pair<std::string, std::string>>& files, const std::string& message) {
        for (auto& [name, text] : files) tree.write("work/" + name, text);
        sh(work, "git add -A && git commit -q -m '" + message + "' && git push -q origin main");
        return sh(work, "git rev-parse HEAD");
    }
    GitRemote remote() const { return {bare, "main", "", "", "", ""}; }
};

}  // namespace

TEST_CASE("a mirror fetches a branch and unpacks each commit into a tree that never changes", "[git]") {
    Remote origin;
    auto first =
        origin.commit({{"frr/mapping.yml", "core: core.mustache\n"}, {"frr/core.mustache", "hostname {{hostname}}\n"}},
                      "first templates");
    TempTree local;
    GitMirror mirror(local.path("templates"));
    auto tip = mirror.fetch(origin.remote(), 30s);
    CHECK(tip.sha == first);
    CHECK(tip.branch == "main");
    CHECK(tip.committer == "Ann Operator");
    CHECK(tip.summary == "first templates");
    // CNaaS-NMS's words, which cnaas-front parses (ConfigChangeStep1.js).
    CHECK(tip.describe().rfind("Commit " + first + " main by Ann Operator at ", 0) == 0);
    CHECK(tip.describe().back() == '\n');

    auto first_dir = mirror.tree(origin.remote(), first, 30s);
    CHECK(read(first_dir / "frr" / "core.mustache") == "hostname {{hostname}}\n");

    // A newer commit lands: the old tree stays as it was, the new one has the change.
    auto second =
        origin.commit({{"frr/core.mustache", "hostname {{hostname}}\nservice integrated-vtysh-config\n"}}, "vtysh");
    CHECK(mirror.fetch(origin.remote(), 30s).sha == second);
    CHECK(read(first_dir / "frr" / "core.mustache") == "hostname {{hostname}}\n");
    CHECK(read(mirror.tree(origin.remote(), second, 30s) / "frr" / "core.mustache") ==
          "hostname {{hostname}}\nservice integrated-vtysh-config\n");
    CHECK(mirror.tree(origin.remote(), first, 30s) == first_dir);

    // Another process that never fetched renders a job's recorded commit:
    // the mirror fetches it on first use.
    GitMirror other(local.path("other"));
    CHECK(read(other.tree(origin.remote(), first, 30s) / "frr" / "mapping.yml") == "core: core.mustache\n");
    CHECK(other.describe(first, "main")->summary == "first templates");

    // A commit the remote does not have, and text that is not a commit id.
    CHECK_THROWS_WITH(mirror.tree(origin.remote(), std::string(40, 'a'), 30s), Catch::Contains("no longer has commit"));
    CHECK_THROWS_AS(mirror.tree(origin.remote(), "../../etc", 30s), GitError);
    CHECK_FALSE(is_commit_sha(first.substr(0, 39)));
}

TEST_CASE("a mirror refuses what it cannot or should not fetch", "[git]") {
    Remote origin;
    origin.commit({{"a.txt", "a"}, {"b.txt", "b"}, {"sub/c.txt", "c"}}, "three files");
    TempTree local;

    // The default branch when none is named.
    GitRemote no_branch = origin.remote();
    no_branch.branch = "";
    auto tip = GitMirror(local.path("default")).fetch(no_branch, 30s);
    CHECK(tip.branch == "main");

    CHECK_THROWS_WITH(GitMirror(local.path("m1")).fetch({origin.bare, "nosuch", "", "", "", ""}, 30s),
                      Catch::Contains("nosuch"));
    CHECK_THROWS_WITH(GitMirror(local.path("m2")).fetch({origin.bare, "bad..name", "", "", "", ""}, 30s),
                      Catch::Contains("not a valid branch name"));
    CHECK_THROWS_AS(GitMirror(local.path("m3")).fetch({local.path("missing.git"), "main", "", "", "", ""}, 30s),
                    GitError);
    CHECK_THROWS_WITH(GitMirror(local.path("m4")).fetch({"", "main", "", "", "", ""}, 30s),
                      Catch::Contains("no repository URL"));

    // Bounded: a tree with more files than allowed is refused whole, and
    // nothing half-unpacked is left behind.
    GitLimits small;
    small.max_tree_files = 2;
    GitMirror bounded(local.path("bounded"), small);
    auto sha = bounded.fetch(origin.remote(), 30s).sha;
    CHECK_THROWS_WITH(bounded.tree(origin.remote(), sha, 30s), Catch::Contains("more than 2 files"));
    CHECK_FALSE(std::filesystem::exists(local.path("bounded/trees/" + sha)));

    // Symbolic links are left out, so a tree cannot point outside itself.
    origin.tree.write("work/placeholder", "x");
    sh(origin.work, "ln -s /etc/passwd leak && git add -A && git commit -q -m link && git push -q origin main");
    GitMirror linked(local.path("linked"));
    auto with_link = linked.fetch(origin.remote(), 30s).sha;
    auto dir = linked.tree(origin.remote(), with_link, 30s);
    CHECK(std::filesystem::exists(dir / "a.txt"));
    CHECK_FALSE(std::filesystem::exists(std::filesystem::symlink_status(dir / "leak")));
}

TEST_CASE("a commit's committer and summary come out valid UTF-8 and bounded, whatever the remote wrote", "[git]") {
    Remote origin;
    origin.tree.write("work/a.txt", "a");
    // A Latin-1 committer name and a 100,000-byte Latin-1 summary, stored as
    // raw bytes (a hostile or merely old repository): the description is
    // stored in PostgreSQL text and sent as JSON, which take neither.
    sh(origin.work,
       "git config user.name \"$(printf 'Gr\\374\\337e')\" && git add -A && "
       "git -c i18n.commitEncoding=ISO-8859-1 commit -q -m "
       "\"$(printf 'caf\\351 '; head -c 100000 /dev/zero | tr '\\0' x)\" && git push -q origin main");
    TempTree local;
    auto tip = GitMirror(local.path("m")).fetch(origin.remote(), 30s);
    CHECK(switchyard::devices::is_valid_utf8(tip.committer));
    CHECK(tip.committer.rfind("Gr", 0) == 0);
    CHECK(switchyard::devices::is_valid_utf8(tip.summary));
    CHECK(tip.summary.rfind("caf", 0) == 0);
    CHECK(tip.summary.size() <= 1024);
    CHECK(switchyard::devices::is_valid_utf8(tip.describe()));
}
