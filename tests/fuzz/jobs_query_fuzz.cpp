// libFuzzer target for the API's request parsing and filter layer: the input
// is a query string; it must either be refused with BadRequest or become SQL
// whose text holds nothing the client sent (values travel as parameters).
#include "api/jobs_query.h"

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace switchyard::api;

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = static_cast<char>(c | 32);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// Query-string decoding as a server does it: %XX and '+'.
std::string percent_decode(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else {
            out += s[i] == '+' ? ' ' : s[i];
        }
    }
    return out;
}

// What the SQL text may contain: the fixed select list, identifiers from the
// field table, placeholders and the operators the builder writes.
bool safe_sql_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string(" _$:'%|=(),.*<>+\n-").find(c) != std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string input(reinterpret_cast<const char*>(data), size);
    QueryParams params;
    std::size_t start = 0;
    while (start <= input.size()) {
        auto amp = input.find('&', start);
        std::string pair = input.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
        auto eq = pair.find('=');
        params.emplace(percent_decode(pair.substr(0, eq)),
                       eq == std::string::npos ? "" : percent_decode(pair.substr(eq + 1)));
        if (amp == std::string::npos) break;
        start = amp + 1;
    }
    try {
        JobsQuery q = parse_jobs_query(params);
        if (q.page < 1 || q.per_page < 1 || q.per_page > 1000) std::abort();
        for (const Statement& st :
             {jobs_page_statement(q), jobs_page_statement(q, EndedDocuments::cached), jobs_count_statement(q)}) {
            for (char c : st.sql)
                if (!safe_sql_char(c)) std::abort();  // a client byte reached the SQL text
            if (st.sql.find(';') != std::string::npos || st.sql.find("--") != std::string::npos) std::abort();
        }
    } catch (const BadRequest&) {
    }
    return 0;
}
