#include "job_document_stream.h"

#include "defaults.h"
#include "devices/job_texts.h"
#include "devices/secret_masker.h"
#include "engine/job_status.h"
#include "http_route.h"
#include "placeholder_tag.h"
#include "store/queries.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <stdexcept>
#include <string_view>
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

// Calls f(task, field) for each reference to a text in one device's entry.
template <typename F>
void for_each_text_field(json& device, F&& f) {
    for_each_device_task(device, [&](json& task) {
        for (const auto& field : kTextFields) {
            auto id = task.find(field.id);
            if (id != task.end() && id->is_number_integer()) f(task, field);
        }
    });
}

struct TextRef {
    std::int64_t id = 0;
    std::size_t bytes = 0;
    std::string fallback;  // the value the stored result holds (JSON), shown when the text is gone
};

// JSON and texts to write, in order: pieces[i] before texts[i]; the last
// piece follows the last text.
struct Plan {
    std::deque<std::string> pieces{1};
    std::deque<TextRef> texts;
    std::size_t bytes = 0;  // pieces and texts as stored (masking and escaping change little)

    void append(std::string_view json_text) {
        pieces.back() += json_text;
        bytes += json_text.size();
    }
    void append_text(TextRef ref) {
        bytes += ref.bytes;
        texts.push_back(std::move(ref));
        pieces.emplace_back();
    }
    // Appends `more` (its first piece joins this plan's last).
    void splice(Plan&& more) {
        pieces.back() += more.pieces.front();
        more.pieces.pop_front();
        bytes += more.bytes;
        for (auto& t : more.texts) texts.push_back(std::move(t));
        for (auto& p : more.pieces) pieces.push_back(std::move(p));
    }
};

// The answer, produced a part at a time.
class JobDocument {
public:
    // Reads job `job_id`'s outline (and, for a job not yet ended, its whole
    // result) on `conn`.
    JobDocument(pqxx::connection& conn, std::int64_t job_id, ResultOmissions omit)
        : job_id_(job_id), omit_(omit), tag_(placeholder_tag()) {
        json job;
        {
            pqxx::read_transaction tx(conn);
            auto outline = store::sql::jobs::outline(tx, {.id = job_id});
            if (!outline) return;
            found_ = true;
            job = json::parse(outline->outline);
            auto status = engine::job_status_from_string(job.value("status", ""));
            if (status && engine::is_final(*status)) {
                attempt_ = job.value("attempt", 0);
                stored_total_ = outline->devices;
            } else {
                // Its result may still be written: read whole, in one
                // statement (a running job's result is small or absent).
                auto whole = store::sql::jobs::get(tx, {.id = job_id});
                if (!whole) {
                    found_ = false;
                    return;
                }
                job = json::parse(whole->document);
            }
        }
        omit_.config = omit_.config && ResultOmissions::applies_to(job);
        omit_.diff = omit_.diff && ResultOmissions::applies_to(job);

        // The devices leave the document; a placeholder marks their place.
        // An ended job's outline has none: they are read apart.
        std::vector<std::pair<std::string, std::string>> devices;
        bool has_devices = false;
        if (auto result = job.find("result"); result != job.end() && result->is_object()) {
            if (auto found = result->find("devices"); found != result->end() && found->is_object()) {
                has_devices = true;
                for (auto& [hostname, entry] : found->items()) devices.emplace_back(hostname, dump_json(entry));
                *found = tag_ + "devices";
            }
        }
        std::string whole = dump_json({{"status", "success"}, {"data", {{"jobs", json::array({std::move(job)})}}}});
        if (!has_devices) {
            plan_.append(whole);
            ended_ = true;
            return;
        }
        const std::string place = '"' + tag_ + "devices\"";
        auto at = whole.find(place);
        if (at == std::string::npos) throw std::logic_error("the devices' place was lost in the job document");
        plan_.append(std::string_view(whole).substr(0, at));
        plan_.append("{");
        tail_ = "}" + whole.substr(at + place.size());
        plan_.splice(plan_devices(conn, devices));
        if (stored_read_ == stored_total_) end_devices();
    }

    bool found() const { return found_; }
    std::int64_t job_id() const { return job_id_; }
    bool finished() const { return finished_; }

    // The document's next part: devices read until a batch of texts is
    // planned (or none is left), then texts up to kJobTextBatchBytes (at
    // least one) and the JSON before them, read on `conn`. After a lost
    // connection it can be called again: each step changes the state only
    // once its reads succeeded.
    std::string next(pqxx::connection& conn) {
        while (plan_.bytes < defaults::kJobTextBatchBytes && !ended_) add_device_batch(conn);
        auto& pieces = plan_.pieces;
        auto& texts = plan_.texts;
        std::size_t n = 0, bytes = 0;
        while (n < texts.size() &&
               (n == 0 || bytes + pieces[n].size() + texts[n].bytes <= defaults::kJobTextBatchBytes)) {
            bytes += pieces[n].size() + texts[n].bytes;
            ++n;
        }
        std::vector<std::int64_t> ids;
        for (std::size_t i = 0; i < n; ++i) ids.push_back(texts[i].id);
        auto found = devices::JobTexts(conn).texts(job_id_, ids);

        std::string out;
        for (std::size_t i = 0; i < n; ++i) {
            out += pieces.front();
            auto text = found.find(texts.front().id);
            out += text == found.end() ? texts.front().fallback : dump_json(devices::safe_text(text->second));
            plan_.bytes -= pieces.front().size() + texts.front().bytes;
            pieces.pop_front();
            texts.pop_front();
        }
        if (texts.empty()) {
            out += pieces.front();
            plan_.bytes -= pieces.front().size();
            pieces.front().clear();
            finished_ = ended_;
        }
        return out;
    }

private:
    void end_devices() {
        plan_.append(tail_);
        tail_.clear();
        ended_ = true;
    }

    // The next batch of an ended job's devices (jobs/result_devices.sql).
    void add_device_batch(pqxx::connection& conn) {
        const std::int64_t limit = next_batch_devices();
        const auto expected = std::min<std::int64_t>(limit, stored_total_ - stored_read_);
        std::vector<std::pair<std::string, std::string>> devices;
        std::size_t bytes = 0;
        {
            pqxx::read_transaction tx(conn);
            for (auto& row : store::sql::jobs::result_devices(
                     tx, {.id = job_id_, .attempt = attempt_, .after = after_, .limit = limit})) {
                bytes += row.entry.size();
                devices.emplace_back(std::move(row.hostname), std::move(row.entry));
            }
        }
        if (static_cast<std::int64_t>(devices.size()) != expected)
            throw std::runtime_error("job " + std::to_string(job_id_) + " was deleted or ran again while it was read");
        auto planned = plan_devices(conn, devices);
        plan_.splice(std::move(planned));
        stored_read_ += expected;
        stored_bytes_read_ += bytes;
        if (!devices.empty()) after_ = devices.back().first;
        if (stored_read_ == stored_total_) end_devices();
    }

    // How many devices the next batch reads: about
    // kJobDocumentDeviceBatchBytes of entries the size of those read so far.
    // Each batch costs PostgreSQL a read of the whole result, so the count
    // adapts to the entries rather than being fixed small.
    int next_batch_devices() const {
        if (stored_read_ == 0) return defaults::kJobDocumentFirstDevices;
        auto average = std::max<std::size_t>(1, stored_bytes_read_ / static_cast<std::size_t>(stored_read_));
        return static_cast<int>(std::clamp<std::size_t>(defaults::kJobDocumentDeviceBatchBytes / average, 1, 100000));
    }

    // Devices (hostname, entry as JSON) planned: each trimmed and
    // serialised alone, cut where its texts go, then the sizes of those
    // texts read. One device's tree is held at a time.
    Plan plan_devices(pqxx::connection& conn, const std::vector<std::pair<std::string, std::string>>& devices) {
        Plan plan;
        std::vector<std::int64_t> ids;
        for (std::size_t i = 0; i < devices.size(); ++i) {
            const auto& [hostname, text] = devices[i];
            json entry = json::parse(text);
            omit_.apply_to_device(entry);
            std::vector<TextRef> refs;
            for_each_text_field(entry, [&](json& task, const TextField& field) {
                auto value = task.find(field.text);
                refs.push_back(
                    {task[field.id].get<std::int64_t>(), 0, value == task.end() ? "null" : dump_json(*value)});
                ids.push_back(refs.back().id);
                task[field.text] = tag_ + std::to_string(refs.size() - 1);
            });
            plan.append(devices_planned_ + i == 0 ? "" : ",");
            plan.append(dump_json(hostname));
            plan.append(":");
            cut(dump_json(entry), refs, plan);
        }
        // A text not found (another job's id, or gone with its job) reads
        // as not found too, and shows what the result holds (fallback).
        auto sizes = devices::JobTexts(conn).sizes(job_id_, ids);
        for (auto& t : plan.texts) {
            auto size = sizes.find(t.id);
            if (size != sizes.end()) {
                t.bytes = size->second;
                plan.bytes += size->second;
            }
        }
        devices_planned_ += devices.size();
        return plan;
    }

    // Plans `text`, one device's entry, split at each quoted placeholder:
    // its JSON, and its texts in the order they are serialised.
    void cut(const std::string& text, std::vector<TextRef>& refs, Plan& plan) const {
        const std::string open = '"' + tag_;
        std::size_t from = 0, cut_texts = 0;
        for (auto at = text.find(open); at != std::string::npos; at = text.find(open, from)) {
            auto close = text.find('"', at + open.size());
            std::size_t index = std::stoul(text.substr(at + open.size(), close - at - open.size()));
            plan.append(std::string_view(text).substr(from, at - from));
            plan.append_text(std::move(refs.at(index)));
            ++cut_texts;
            from = close + 1;
        }
        plan.append(std::string_view(text).substr(from));
        if (cut_texts != refs.size()) throw std::logic_error("a text's place was lost in the job document");
    }

    std::int64_t job_id_;
    ResultOmissions omit_;
    const std::string tag_;
    bool found_ = false;
    int attempt_ = 0;
    // An ended job's devices, read apart from its outline; after_ is the
    // last hostname read.
    std::int64_t stored_total_ = 0, stored_read_ = 0;
    std::size_t stored_bytes_read_ = 0;
    std::optional<std::string> after_;
    std::size_t devices_planned_ = 0;
    std::string tail_;       // what follows the devices
    bool ended_ = false;     // the tail is planned
    bool finished_ = false;  // and written
    Plan plan_;              // planned, not yet written
};

class JobDocumentStream : public ResponseStream {
public:
    JobDocumentStream(store::ConnectionPool& pool, JobDocument document, std::string first)
        : pool_(pool), document_(std::move(document)), first_(std::move(first)) {}

    void open(std::function<void()>) override {}
    bool pull_blocks() const override { return true; }

    Pull pull() override {
        Pull out;
        if (!first_.empty()) {
            out.data = std::exchange(first_, {});
            return out;
        }
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
    std::string first_;  // read while the request was served
};

}  // namespace

bool send_job_document(store::ConnectionPool& pool, pqxx::connection& conn, std::int64_t job_id, ResultOmissions omit,
                       HttpResponse& res) {
    JobDocument document(conn, job_id, omit);
    if (!document.found()) return false;
    std::string body;
    while (!document.finished() && body.size() <= defaults::kJobTextBatchBytes) body += document.next(conn);
    res.status = 200;
    if (document.finished()) {
        res.set_content(std::move(body), "application/json");
        return true;
    }
    res.content_type = "application/json";
    res.stream = std::make_shared<JobDocumentStream>(pool, std::move(document), std::move(body));
    return true;
}

}  // namespace switchyard::api
