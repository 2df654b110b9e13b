#include "job_texts_inline.h"

#include "defaults.h"
#include "devices/job_texts.h"
#include "devices/secret_masker.h"
#include "http_route.h"
#include "job_result_tasks.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <random>
#include <stdexcept>
#include <utility>
#include <vector>

namespace switchyard::api {

using nlohmann::json;

namespace {

// A job_tasks entry's reference to a text, and the field the text goes to.
struct TextField {
    const char* id;
    const char* text;
};
constexpr TextField kTextFields[] = {{"config_id", "result"}, {"diff_id", "diff"}};

// Calls f(task, field) for each reference to a text in the job's job_tasks.
template <typename F>
void for_each_text_field(json& job, F&& f) {
    for_each_job_tasks(job, [&](json& tasks) {
        for (auto& task : tasks) {
            if (!task.is_object()) continue;
            for (const auto& field : kTextFields) {
                auto id = task.find(field.id);
                if (id != task.end() && id->is_number_integer()) f(task, field);
            }
        }
    });
}

// Marks the place of a text in the serialised document. Random, so that no
// string of a result (device output is hostile) can pass for one.
std::string placeholder_tag() {
    std::random_device random;
    char tag[64];
    std::snprintf(tag, sizeof tag, "switchyard-text-%08x%08x%08x%08x-", random(), random(), random(), random());
    return tag;
}

struct TextRef {
    std::int64_t id = 0;
    std::size_t bytes = 0;
    std::string fallback;  // the value the stored result holds (JSON), shown when the text is gone
};

// The envelope around the job, serialised as every route's, cut where the
// texts go: text i is written between pieces[i] and pieces[i + 1].
class JobDocument {
public:
    JobDocument(pqxx::connection& conn, std::int64_t job_id, json job) : job_id_(job_id) {
        std::vector<std::int64_t> ids;
        for_each_text_field(
            job, [&](json& task, const TextField& field) { ids.push_back(task[field.id].get<std::int64_t>()); });
        auto sizes = devices::JobTexts(conn).sizes(job_id, ids);
        const std::string tag = placeholder_tag();
        std::vector<TextRef> refs;
        for_each_text_field(job, [&](json& task, const TextField& field) {
            auto size = sizes.find(task[field.id].get<std::int64_t>());
            if (size == sizes.end()) return;  // not this job's, or gone: the result stays as stored
            auto value = task.find(field.text);
            refs.push_back({size->first, size->second, value == task.end() ? "null" : dump_json(*value)});
            task[field.text] = tag + std::to_string(refs.size() - 1);
        });
        std::string whole = dump_json({{"status", "success"}, {"data", {{"jobs", json::array({std::move(job)})}}}});
        cut(whole, '"' + tag, refs);
    }

    std::int64_t job_id() const { return job_id_; }
    bool finished() const { return finished_; }
    // What the whole document weighs, texts as stored (before masking and
    // escaping, which change little).
    std::size_t bytes() const {
        std::size_t n = 0;
        for (auto& p : pieces_) n += p.size();
        for (auto& t : texts_) n += t.bytes;
        return n;
    }

    // The document's next part: pieces and texts up to
    // kJobTextBatchBytes (at least one text), read on `conn`. Changes nothing
    // until the texts are read, so that it can be called again after a lost
    // connection.
    std::string next(pqxx::connection& conn) {
        std::size_t from = next_, to = from, bytes = 0;
        while (to < texts_.size() &&
               (to == from || bytes + pieces_[to].size() + texts_[to].bytes <= defaults::kJobTextBatchBytes)) {
            bytes += pieces_[to].size() + texts_[to].bytes;
            ++to;
        }
        std::vector<std::int64_t> ids;
        for (std::size_t i = from; i < to; ++i) ids.push_back(texts_[i].id);
        auto found = devices::JobTexts(conn).texts(job_id_, ids);

        std::string out;
        for (std::size_t i = from; i < to; ++i) {
            out += std::exchange(pieces_[i], {});
            auto text = found.find(texts_[i].id);
            out += text == found.end() ? texts_[i].fallback : dump_json(devices::safe_text(text->second));
        }
        next_ = to;
        if (next_ == texts_.size()) {
            out += std::exchange(pieces_.back(), {});
            finished_ = true;
        }
        return out;
    }

private:
    // Splits `whole` at each quoted placeholder (`open` is the opening quote
    // and the tag), keeping the texts in the order they are serialised.
    void cut(const std::string& whole, const std::string& open, std::vector<TextRef>& refs) {
        std::size_t from = 0;
        for (auto at = whole.find(open); at != std::string::npos; at = whole.find(open, from)) {
            auto close = whole.find('"', at + open.size());
            std::size_t index = std::stoul(whole.substr(at + open.size(), close - at - open.size()));
            pieces_.push_back(whole.substr(from, at - from));
            texts_.push_back(std::move(refs.at(index)));
            from = close + 1;
        }
        pieces_.push_back(whole.substr(from));
        if (texts_.size() != refs.size()) throw std::logic_error("a text's place was lost in the job document");
    }

    std::int64_t job_id_;
    std::vector<std::string> pieces_;
    std::vector<TextRef> texts_;  // in the order they are serialised
    std::size_t next_ = 0;
    bool finished_ = false;
};

class JobDocumentStream : public ResponseStream {
public:
    JobDocumentStream(store::ConnectionPool& pool, JobDocument document)
        : pool_(pool), document_(std::move(document)) {}

    void open(std::function<void()>) override {}
    bool pull_blocks() const override { return true; }

    Pull pull() override {
        Pull out;
        try {
            out.data = pool_.with([&](pqxx::connection& conn) { return document_.next(conn); });
            out.end = document_.finished();
        } catch (const std::exception& e) {
            spdlog::error("GET /job/{}: {}; the response is cut", document_.job_id(), e.what());
            out = {};
            out.cut = true;
        }
        return out;
    }

    bool abandoned() override { return false; }
    void close() override {}

private:
    store::ConnectionPool& pool_;
    JobDocument document_;
};

}  // namespace

void send_job_document(store::ConnectionPool& pool, pqxx::connection& conn, std::int64_t job_id, json job,
                       HttpResponse& res) {
    JobDocument document(conn, job_id, std::move(job));
    res.status = 200;
    if (document.bytes() > defaults::kJobTextBatchBytes) {
        res.content_type = "application/json";
        res.stream = std::make_shared<JobDocumentStream>(pool, std::move(document));
        return;
    }
    std::string body;
    while (!document.finished()) body += document.next(conn);
    res.set_content(std::move(body), "application/json");
}

}  // namespace switchyard::api
