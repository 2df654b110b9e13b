// sqlgen: typed C++ functions from annotated .sql files, at build time.
//
// River's model (sqlc): SQL stays in .sql files beside the code that owns it,
// and the build turns each statement into a function whose parameters and
// row are a struct with named fields, so a misspelt statement, parameter or
// column is a compile error rather than a surprise in production. A statement
// in a .sql file looks like:
//
//   -- name: claim :many
//   -- params: queue text, limit integer, worker_id bigint
//   -- columns: id bigint, function_name text, scheduled_by text?
//   -- Any other comment stays in the SQL text.
//   UPDATE jobs ... WHERE queue = @queue ... LIMIT @limit ... RETURNING ...
//
// Kinds: :one (exactly one row, else pqxx::unexpected_rows), :optional (at
// most one), :many, :exec (returns the rows affected) and :script (no
// parameters; may hold several statements). Types: bigint, integer,
// smallint, text, bytea (sqlgen::Bytes: bytes as they are), boolean, float8,
// json, jsonb, for columns text_shared (a text read without a copy,
// sqlgen::SharedText), and for parameters inet,
// text[] and bigint[]; a trailing ? makes the value nullable (std::optional). @name is
// replaced by $n; every parameter must be used and every @name declared.
// tests/service/queries_test.cpp checks each declaration against PostgreSQL.
//
// Usage: sqlgen --namespace NS --header INCLUDE --out-header H --out-source CPP
//               --root DIR [--scripts SUBDIR] FILE...
// FILEs are relative to DIR; their folders become nested namespaces. Files
// under SUBDIR are scripts (migrations), embedded as text in file order and
// returned by NS::SUBDIR().
#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

struct Error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct SqlType {
    const char* cpp_param;   // nullptr: not allowed as a parameter
    const char* cpp_column;  // nullptr: not allowed as a column
};

const std::map<std::string, SqlType>& types() {
    static const std::map<std::string, SqlType> t = {
        {"bigint", {"std::int64_t", "std::int64_t"}},
        {"integer", {"int", "int"}},
        {"smallint", {"int", "int"}},
        {"text", {"std::string", "std::string"}},
        {"text_shared", {nullptr, "sqlgen::SharedText"}},
        {"bytea", {"sqlgen::Bytes", "sqlgen::Bytes"}},
        {"boolean", {"bool", "bool"}},
        {"float8", {"double", "double"}},
        {"json", {"sqlgen::JsonText", "nlohmann::json"}},
        {"jsonb", {"sqlgen::JsonText", "nlohmann::json"}},
        {"inet", {"std::string", nullptr}},
        {"text[]", {"std::vector<std::string>", nullptr}},
        {"bigint[]", {"std::vector<std::int64_t>", nullptr}},
    };
    return t;
}

struct Field {
    std::string name;
    std::string sql_type;
    bool nullable = false;
    std::string cpp(bool param) const {
        const SqlType& t = types().at(sql_type);
        std::string base = param ? t.cpp_param : t.cpp_column;
        return nullable ? "std::optional<" + base + ">" : base;
    }
};

struct Statement {
    std::string file;  // relative path, for messages
    int line = 0;
    std::vector<std::string> ns;  // nested namespaces from the file's folders
    std::string name;
    std::string kind;
    std::vector<Field> params;
    std::vector<Field> columns;
    std::string text;  // with $n
};

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

bool is_ident_start(char c) { return std::islower(static_cast<unsigned char>(c)) || c == '_'; }
bool is_ident(char c) { return is_ident_start(c) || std::isdigit(static_cast<unsigned char>(c)); }

bool valid_ident(const std::string& s) {
    return !s.empty() && is_ident_start(s[0]) && std::all_of(s.begin(), s.end(), is_ident);
}

std::string camel(const std::string& snake) {
    std::string out;
    bool up = true;
    for (char c : snake) {
        if (c == '_') {
            up = true;
            continue;
        }
        out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        up = false;
    }
    return out;
}

// "a text, b bigint?" -> fields
std::vector<Field> parse_fields(const std::string& list, bool param, const std::string& where) {
    std::vector<Field> out;
    std::stringstream in(list);
    std::string item;
    std::set<std::string> seen;
    while (std::getline(in, item, ',')) {
        item = trim(item);
        if (item.empty()) throw Error(where + ": empty entry in '" + list + "'");
        auto space = item.find_first_of(" \t");
        if (space == std::string::npos) throw Error(where + ": '" + item + "' needs a name and a type");
        Field f;
        f.name = item.substr(0, space);
        f.sql_type = trim(item.substr(space));
        if (!f.sql_type.empty() && f.sql_type.back() == '?') {
            f.nullable = true;
            f.sql_type = trim(f.sql_type.substr(0, f.sql_type.size() - 1));
        }
        if (!valid_ident(f.name)) throw Error(where + ": '" + f.name + "' is not a lower_case name");
        if (!seen.insert(f.name).second) throw Error(where + ": '" + f.name + "' is declared twice");
        auto t = types().find(f.sql_type);
        if (t == types().end() || !(param ? t->second.cpp_param : t->second.cpp_column))
            throw Error(where + ": type '" + f.sql_type + "' of '" + f.name + "' is not supported as a " +
                        (param ? "parameter" : "column"));
        out.push_back(f);
    }
    return out;
}

// Replaces @name by $n outside strings, quoted identifiers, comments and
// dollar-quoted bodies; checks every use is declared and every declared
// parameter used.
std::string bind_params(const std::string& sql, const std::vector<Field>& params, const std::string& where) {
    std::map<std::string, int> number;
    for (std::size_t i = 0; i < params.size(); ++i) number[params[i].name] = static_cast<int>(i) + 1;
    std::set<std::string> used;
    std::string out;
    std::size_t i = 0, n = sql.size();
    auto copy_until = [&](const std::string& end) {
        auto e = sql.find(end, i);
        e = e == std::string::npos ? n : e + end.size();
        out.append(sql, i, e - i);
        i = e;
    };
    while (i < n) {
        char c = sql[i];
        if (c == '\'') {
            // '...' with '' as an escaped quote: two literals back to back.
            out += c;
            ++i;
            copy_until("'");
        } else if (c == '"') {
            out += c;
            ++i;
            copy_until("\"");
        } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
            copy_until("\n");
        } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
            copy_until("*/");
        } else if (c == '$' && i + 1 < n && (sql[i + 1] == '$' || is_ident_start(sql[i + 1]))) {
            auto close = sql.find('$', i + 1);
            std::string tag = close == std::string::npos ? "" : sql.substr(i, close - i + 1);
            if (tag.size() >= 2 && std::all_of(tag.begin() + 1, tag.end() - 1, is_ident)) {
                out += tag;
                i = close + 1;
                copy_until(tag);
            } else {
                out += c;
                ++i;
            }
        } else if (c == '@' && i + 1 < n && is_ident_start(sql[i + 1])) {
            std::size_t e = i + 1;
            while (e < n && is_ident(sql[e])) ++e;
            std::string name = sql.substr(i + 1, e - i - 1);
            auto it = number.find(name);
            if (it == number.end()) throw Error(where + ": @" + name + " is not in the params list");
            used.insert(name);
            out += "$" + std::to_string(it->second);
            i = e;
        } else if (c == '$' && i + 1 < n && std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
            throw Error(where + ": positional parameter in the SQL; name it (@name) and declare it in params");
        } else {
            out += c;
            ++i;
        }
    }
    for (auto& p : params)
        if (!used.count(p.name)) throw Error(where + ": parameter '" + p.name + "' is declared but not used");
    return out;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("cannot read " + path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> folder_namespaces(const std::string& rel) {
    std::vector<std::string> out;
    std::stringstream in(rel);
    std::string part;
    while (std::getline(in, part, '/')) out.push_back(part);
    out.pop_back();  // the file name
    for (auto& p : out)
        if (!valid_ident(p)) throw Error(rel + ": folder '" + p + "' is not a valid namespace name");
    return out;
}

// Splits a file into statements at "-- name:" lines. Annotation lines
// directly below it (params, columns, and their continuations after a
// trailing comma) are read; the remaining comments and the SQL are the text.
std::vector<Statement> parse_file(const std::string& root, const std::string& rel) {
    std::vector<Statement> out;
    std::stringstream in(read_file(root + "/" + rel));
    std::string line;
    int number = 0;
    Statement* cur = nullptr;
    std::string* continuing = nullptr;
    std::string params_text, columns_text;
    std::vector<std::string> leading;  // comment lines before the first statement
    auto finish = [&] {
        if (!cur) return;
        std::string where = rel + ":" + std::to_string(cur->line) + " (" + cur->name + ")";
        cur->params = parse_fields(params_text, true, where);
        cur->columns = parse_fields(columns_text, false, where);
        if (trim(cur->text).empty()) throw Error(where + ": no SQL");
        bool rows = cur->kind == "one" || cur->kind == "optional" || cur->kind == "many";
        if (rows && cur->columns.empty()) throw Error(where + ": :" + cur->kind + " needs a columns list");
        if (!rows && !cur->columns.empty()) throw Error(where + ": :" + cur->kind + " returns no columns");
        if (cur->kind == "script" && !cur->params.empty()) throw Error(where + ": a :script takes no parameters");
        cur->text = bind_params(cur->text, cur->params, where);
        // Trailing blank lines and semicolons do not belong to the statement.
        auto end = cur->text.find_last_not_of(" \t\r\n;");
        if (cur->kind != "script") cur->text.erase(end + 1);
        params_text.clear();
        columns_text.clear();
    };
    while (std::getline(in, line)) {
        ++number;
        std::string t = trim(line);
        if (t.rfind("-- name:", 0) == 0) {
            finish();
            out.emplace_back();
            cur = &out.back();
            cur->file = rel;
            cur->line = number;
            cur->ns = folder_namespaces(rel);
            std::stringstream words(t.substr(8));
            std::string kind;
            words >> cur->name >> kind;
            std::string where = rel + ":" + std::to_string(number);
            if (!valid_ident(cur->name)) throw Error(where + ": statement name '" + cur->name + "' is not lower_case");
            static const std::set<std::string> kinds = {":one", ":optional", ":many", ":exec", ":script"};
            if (!kinds.count(kind)) throw Error(where + ": kind must be :one, :optional, :many, :exec or :script");
            cur->kind = kind.substr(1);
            continuing = nullptr;
            continue;
        }
        if (!cur) {
            if (!t.empty() && t.rfind("--", 0) != 0)
                throw Error(rel + ":" + std::to_string(number) + ": SQL before the first '-- name:' line");
            leading.push_back(line);
            continue;
        }
        if (cur->text.empty() && t.rfind("--", 0) == 0) {
            std::string body = trim(t.substr(2));
            if (continuing && !trim(*continuing).empty() && trim(*continuing).back() == ',') {
                *continuing += " " + body;
                continue;
            }
            continuing = nullptr;
            if (body.rfind("params:", 0) == 0) {
                params_text = body.substr(7);
                continuing = &params_text;
                continue;
            }
            if (body.rfind("columns:", 0) == 0) {
                columns_text = body.substr(8);
                continuing = &columns_text;
                continue;
            }
        }
        continuing = nullptr;
        if (cur->text.empty() && t.empty()) continue;
        cur->text += line + "\n";
    }
    finish();
    if (out.empty()) throw Error(rel + ": no '-- name: NAME :KIND' line (see sqlgen/sqlgen.cpp)");
    return out;
}

std::string raw_literal(const std::string& text, const std::string& where) {
    if (text.find(")__sql__\"") != std::string::npos) throw Error(where + ": the SQL contains )__sql__\"");
    return "R\"__sql__(" + text + ")__sql__\"";
}

// The statement's full C++ name: its prepared-statement name and its name in
// statements(), unique across every library on one connection.
std::string root_namespace;
std::string qualified(const Statement& s) {
    std::string out = root_namespace + "::";
    for (auto& n : s.ns) out += n + "::";
    return out + s.name;
}

std::string open_ns(const std::vector<std::string>& ns) {
    std::string out;
    for (auto& n : ns) out += "namespace " + n + " {\n";
    return out;
}

std::string close_ns(const std::vector<std::string>& ns) {
    std::string out;
    for (auto it = ns.rbegin(); it != ns.rend(); ++it) out += "}  // namespace " + *it + "\n";
    return out;
}

std::string return_type(const Statement& s) {
    std::string row = camel(s.name) + "Row";
    if (s.kind == "one") return row;
    if (s.kind == "optional") return "std::optional<" + row + ">";
    if (s.kind == "many") return "std::vector<" + row + ">";
    if (s.kind == "exec") return "std::size_t";
    return "void";
}

std::string signature(const Statement& s, bool prepared) {
    std::string args = "pqxx::transaction_base& tx";
    if (prepared) args += ", sqlgen::Prepared";
    if (!s.params.empty()) args += ", const " + camel(s.name) + "Params& params";
    return return_type(s) + " " + s.name + "(" + args + ")";
}

void write_header(std::ostream& h, const std::string& ns, const std::vector<Statement>& stmts, bool scripts,
                  const std::string& scripts_name) {
    h << "// Generated by sqlgen (sqlgen/sqlgen.cpp) from annotated .sql files. Do not edit.\n"
      << "#pragma once\n\n#include \"sqlgen/support.h\"\n\n"
      << "#include <cstddef>\n#include <cstdint>\n#include <optional>\n#include <string>\n#include <vector>\n\n"
      << "namespace " << ns << " {\n";
    std::vector<std::string> open;
    for (auto& s : stmts) {
        if (s.ns != open) {
            h << close_ns(open) << open_ns(s.ns);
            open = s.ns;
        }
        h << "\n// " << s.file << ":" << s.line << "\n";
        if (!s.params.empty()) {
            h << "struct " << camel(s.name) << "Params {\n";
            for (auto& p : s.params) h << "    " << p.cpp(true) << " " << p.name << ";\n";
            h << "};\n";
        }
        if (!s.columns.empty()) {
            h << "struct " << camel(s.name) << "Row {\n";
            for (auto& c : s.columns) h << "    " << c.cpp(false) << " " << c.name << ";\n";
            h << "};\n";
        }
        h << signature(s, false) << ";\n";
        if (s.kind != "script") h << signature(s, true) << ";\n";
    }
    h << close_ns(open);
    h << "\n// Every statement above, for tests that check them against the schema.\n"
      << "const std::vector<sqlgen::StatementInfo>& statements();\n";
    if (scripts)
        h << "// The " << scripts_name << " scripts, in file-name order.\n"
          << "const std::vector<sqlgen::Script>& " << scripts_name << "();\n";
    h << "\n}  // namespace " << ns << "\n";
}

std::string param_args(const Statement& s) {
    std::string out;
    for (auto& p : s.params) out += ", sqlgen::param(params." + p.name + ")";
    return out;
}

void write_reader(std::ostream& c, const Statement& s) {
    std::string row = camel(s.name) + "Row";
    c << "std::vector<" << row << "> read_" << s.name << "(const pqxx::result& r) {\n";
    for (auto& col : s.columns) c << "    const auto c_" << col.name << " = r.column_number(\"" << col.name << "\");\n";
    c << "    std::vector<" << row << "> out;\n    out.reserve(r.size());\n"
      << "    for (const auto& row : r)\n        out.push_back({";
    for (std::size_t i = 0; i < s.columns.size(); ++i) {
        auto& col = s.columns[i];
        c << (i ? ",\n                       " : "") << "sqlgen::column<" << col.cpp(false) << ">(row[c_" << col.name
          << "])";
    }
    c << "});\n    return out;\n}\n";
}

std::string finish_result(const Statement& s, const std::string& exec) {
    if (s.kind == "exec") return "    return " + exec + ".affected_rows();\n";
    if (s.kind == "script") return "    " + exec + ";\n";
    std::string read = "read_" + s.name + "(" + exec + ")";
    if (s.kind == "many") return "    return " + read + ";\n";
    if (s.kind == "optional")
        return "    auto rows = " + read +
               ";\n    if (rows.empty()) return std::nullopt;\n"
               "    return std::move(rows.front());\n";
    return "    auto rows = " + read +
           ";\n    if (rows.size() != 1)\n"
           "        throw pqxx::unexpected_rows(\"" +
           qualified(s) +
           ": expected one row, got \" + std::to_string(rows.size()));\n    return std::move(rows.front());\n";
}

void write_source(std::ostream& c, const std::string& ns, const std::string& header,
                  const std::vector<Statement>& stmts, const std::vector<std::pair<std::string, std::string>>& scripts,
                  const std::string& scripts_name) {
    c << "// Generated by sqlgen (sqlgen/sqlgen.cpp) from annotated .sql files. Do not edit.\n"
      << "#include \"" << header << "\"\n\n#include <utility>\n\nnamespace " << ns << " {\n";
    for (auto& s : stmts) {
        std::string where = s.file + ":" + std::to_string(s.line);
        std::string text = "k" + camel(s.name);
        c << "\n"
          << open_ns(s.ns) << "namespace {\nconst std::string " << text << " = " << raw_literal(s.text, where) << ";\n";
        if (!s.columns.empty()) write_reader(c, s);
        c << "}  // namespace\n";
        if (s.kind == "script") {
            c << signature(s, false) << " {\n" << finish_result(s, "tx.exec(" + text + ")") << "}\n" << close_ns(s.ns);
            continue;
        }
        std::string args = param_args(s);
        c << signature(s, false) << " {\n" << finish_result(s, "tx.exec_params(" + text + args + ")") << "}\n";
        // pqxx only records the definition here (a map lookup after the
        // first call); the server prepares it on first use per connection.
        c << signature(s, true) << " {\n    tx.conn().prepare(\"" << qualified(s) << "\", " << text << ");\n"
          << finish_result(s, "tx.exec_prepared(\"" + qualified(s) + "\"" + args + ")") << "}\n"
          << close_ns(s.ns);
    }
    c << "\nconst std::vector<sqlgen::StatementInfo>& statements() {\n"
      << "    static const std::vector<sqlgen::StatementInfo> all = {\n";
    for (auto& s : stmts) {
        std::string text = "k" + camel(s.name);
        for (auto it = s.ns.rbegin(); it != s.ns.rend(); ++it) text = *it + "::" + text;
        c << "        {\"" << qualified(s) << "\", \"" << s.kind << "\", " << text << ", {";
        for (auto& p : s.params) c << "{\"" << p.name << "\", \"" << p.sql_type << "\", " << p.nullable << "}, ";
        c << "}, {";
        for (auto& col : s.columns)
            c << "{\"" << col.name << "\", \"" << col.sql_type << "\", " << col.nullable << "}, ";
        c << "}},\n";
    }
    c << "    };\n    return all;\n}\n";
    if (!scripts_name.empty()) {
        c << "\nconst std::vector<sqlgen::Script>& " << scripts_name << "() {\n"
          << "    static const std::vector<sqlgen::Script> all = {\n";
        for (auto& [name, text] : scripts) c << "        {\"" << name << "\", " << raw_literal(text, name) << "},\n";
        c << "    };\n    return all;\n}\n";
    }
    c << "\n}  // namespace " << ns << "\n";
}

// Writes only when the content changed, so dependants are not rebuilt.
void write_if_changed(const std::string& path, const std::string& content) {
    {
        std::ifstream in(path, std::ios::binary);
        if (in) {
            std::stringstream s;
            s << in.rdbuf();
            if (s.str() == content) return;
        }
    }
    std::ofstream out(path, std::ios::binary);
    out << content;
    if (!out) throw Error("cannot write " + path);
}

}  // namespace

int main(int argc, char** argv) {
    try {
        std::map<std::string, std::string> opt;
        std::vector<std::string> files;
        for (int i = 1; i < argc; ++i) {
            std::string a = argv[i];
            if (a.rfind("--", 0) == 0) {
                if (i + 1 >= argc) throw Error("option " + a + " needs a value");
                opt[a.substr(2)] = argv[++i];
            } else {
                files.push_back(a);
            }
        }
        for (const char* o : {"namespace", "header", "out-header", "out-source", "root"})
            if (!opt.count(o)) throw Error(std::string("missing --") + o);
        std::sort(files.begin(), files.end());
        root_namespace = opt["namespace"];
        std::string scripts_dir = opt.count("scripts") ? opt["scripts"] : "";
        std::vector<Statement> stmts;
        std::vector<std::pair<std::string, std::string>> scripts;
        std::set<std::string> names;
        for (auto& f : files) {
            if (!scripts_dir.empty() && f.rfind(scripts_dir + "/", 0) == 0) {
                scripts.emplace_back(f, read_file(opt["root"] + "/" + f));
                continue;
            }
            for (auto& s : parse_file(opt["root"], f)) {
                if (!names.insert(qualified(s)).second)
                    throw Error(s.file + ":" + std::to_string(s.line) + ": a statement " + qualified(s) +
                                " exists already");
                stmts.push_back(std::move(s));
            }
        }
        // Grouped by namespace so each is opened once.
        std::stable_sort(stmts.begin(), stmts.end(), [](auto& a, auto& b) { return a.ns < b.ns; });
        std::stringstream h, c;
        write_header(h, opt["namespace"], stmts, !scripts_dir.empty(), scripts_dir);
        write_source(c, opt["namespace"], opt["header"], stmts, scripts, scripts_dir);
        write_if_changed(opt["out-header"], h.str());
        write_if_changed(opt["out-source"], c.str());
    } catch (const std::exception& e) {
        std::cerr << "sqlgen: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
