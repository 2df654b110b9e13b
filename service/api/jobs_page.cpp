#include "jobs_page.h"

#include "defaults.h"
#include "placeholder_tag.h"
#include "store/queries.h"

#include <memory>
#include <ranges>
#include <stdexcept>

namespace switchyard::api {
namespace {

pqxx::result exec(pqxx::transaction_base& tx, const Statement& s) {
    return tx.exec_params(s.sql, pqxx::prepare::make_dynamic_params(s.params));
}

long total_of(const pqxx::result& rows) { return rows[0][rows.column_number("total")].as<long>(); }

// Ended jobs on a page whose documents the cache lacks.
struct Missing {
    std::vector<std::size_t> positions;
    std::vector<JobDocumentCache::Version> versions;
};

// Fills `page.documents` from `page.rows`: a row's own document (a job that
// may still change), else (an ended job, NULL in the row) the cache's.
Missing documents_from_rows(JobsPage& page, JobDocumentCache& cache) {
    const auto& rows = page.rows;
    page.documents.assign(rows.size(), nullptr);
    page.row_documents.assign(rows.size(), {});
    page.held.clear();
    const auto c_id = rows.column_number("id"), c_version = rows.column_number("row_version"),
               c_document = rows.column_number("document");
    Missing ended;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        auto document = rows[i][c_document];
        if (!document.is_null()) {
            page.row_documents[i] = PiecedText(std::string_view(document.c_str(), document.size()));
            page.documents[i] = &page.row_documents[i];
            continue;
        }
        ended.positions.push_back(i);
        ended.versions.push_back({rows[i][c_id].as<std::int64_t>(), rows[i][c_version].as<std::int64_t>()});
    }
    auto found = cache.find(ended.versions);
    Missing missing;
    for (std::size_t k = 0; k < found.size(); ++k) {
        if (!found[k]) {
            missing.positions.push_back(ended.positions[k]);
            missing.versions.push_back(ended.versions[k]);
            continue;
        }
        page.documents[ended.positions[k]] = found[k].get();
        page.held.push_back(std::move(found[k]));
    }
    return missing;
}

// Ended job `id`'s document as of `tx`, kept as read, without a copy: its
// outline cut where the tag stands for its devices, and their entries
// between (jobs_page.h). Sets `row_version` to the version read.
JobDocumentCache::Text read_ended_document(pqxx::transaction_base& tx, std::int64_t id, std::int64_t& row_version) {
    const std::string tag = placeholder_tag();
    auto outline = store::sql::jobs::tagged_outline(tx, {.id = id, .tag = tag});
    if (!outline) throw std::logic_error("job " + std::to_string(id) + " is missing from its snapshot");
    row_version = outline->row_version;
    struct Owned {
        sqlgen::SharedText outline;
        std::vector<store::sql::jobs::ResultEntriesRow> entries;
        PiecedText pieced;
    };
    auto owned = std::make_shared<Owned>(Owned{std::move(outline->outline), {}, {}});
    const std::string_view text = owned->outline.view();
    if (!outline->devices) {
        owned->pieced = PiecedText(text);
        return JobDocumentCache::Text(owned, &owned->pieced);
    }
    const std::string place = '"' + tag + '"';
    const auto at = text.find(place);
    if (at == std::string_view::npos)
        throw std::logic_error("the devices' place was lost in job " + std::to_string(id) + "'s document");
    owned->entries = store::sql::jobs::result_entries(tx, {.id = id});
    auto members = owned->entries | std::views::transform([](const auto& e) { return e.entry.view(); });
    owned->pieced = PiecedText::with_device_members(text.substr(0, at), members, text.substr(at + place.size()));
    return JobDocumentCache::Text(owned, &owned->pieced);
}

// The documents the cache lacked, read in `tx` (the page's snapshot: the
// versions the page named) and kept. Returns the bytes read.
std::size_t read_missing(JobsPage& page, const Missing& missing, JobDocumentCache& cache, pqxx::transaction_base& tx) {
    std::size_t bytes = 0;
    for (std::size_t k = 0; k < missing.versions.size(); ++k) {
        const auto id = missing.versions[k].id;
        std::int64_t row_version = 0;
        auto text = read_ended_document(tx, id, row_version);
        bytes += text->size();
        cache.insert({id, row_version}, text);
        page.documents[missing.positions[k]] = text.get();
        page.held.push_back(std::move(text));
    }
    return bytes;
}

// What the page's own rows hold of documents (jobs that may still change).
std::size_t row_document_bytes(const pqxx::result& rows) {
    std::size_t bytes = 0;
    const auto c_document = rows.column_number("document");
    for (const auto& row : rows) bytes += row[c_document].size();
    return bytes;
}

// Closes `conn` (the pool then opens another when needed) when this page
// read more than kPooledConnectionMaxReadBytes through it: libpq's input
// buffer, grown to the largest answer, would otherwise stay with it.
void release_if_grown(pqxx::connection& conn, std::size_t bytes_read) {
    if (bytes_read > defaults::kPooledConnectionMaxReadBytes) conn.disconnect();
}

}  // namespace

JobsPage read_jobs_page(store::ConnectionPool& pool, JobDocumentCache& cache, const JobsQuery& query) {
    auto statement = jobs_page_statement(query, cache.enabled() ? EndedDocuments::cached : EndedDocuments::read);
    JobsPage page;
    std::size_t read = 0;
    pool.with([&](pqxx::connection& conn) {
        read = 0;
        {
            pqxx::nontransaction tx(conn);
            page.rows = exec(tx, statement);
        }
        if (!page.rows.empty() && documents_from_rows(page, cache).versions.empty()) {
            page.total = total_of(page.rows);
            release_if_grown(conn, row_document_bytes(page.rows));
            return 0;
        }
        pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(conn);
        page.rows = exec(tx, statement);
        page.total = page.rows.empty() ? exec(tx, jobs_count_statement(query))[0][0].as<long>() : total_of(page.rows);
        auto missing = documents_from_rows(page, cache);
        std::size_t bytes = row_document_bytes(page.rows);
        if (!missing.versions.empty()) bytes += read_missing(page, missing, cache, tx);
        read = missing.versions.size();
        tx.commit();
        release_if_grown(conn, bytes);
        return 0;
    });
    cache.count(page.held.size() - read, read);
    return page;
}

}  // namespace switchyard::api
