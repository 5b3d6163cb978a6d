// Greps the production sources for conversions that can wrap or are undefined out of range:
// a 128-bit or floating value cast to a 64-bit-or-narrower integer, C-style integer casts,
// and the llround family. Money must narrow only through fixed::from_ratio / from_double,
// which check the range first; everything else found here fails with file:line unless it is
// on the short allow-list below, where the range is proven at the site. The allow-list is
// authoritative; the `// tw-cast-ok:` comments at those sites only tell readers why.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const char* const scanned_dirs[] = {"actors", "bridge", "schemas", "tools", "config", "topology", "net"};

/// A proven-safe site: file (relative to the source root), a fragment of the line, and why.
struct allowed {
  const char* file;
  const char* fragment;
  const char* why;
};

const allowed allow_list[] = {
  {"schemas/fixed.cpp", "static_cast<int64_t>(v)", "narrow(): compared with the int64 range first"},
  {"schemas/fixed.cpp", "static_cast<int64_t>(rounded)", "from_double(): finite, in [-2^63, 2^63)"},
  {"schemas/fixed.cpp", "static_cast<unsigned long long>(v / scale)", "to_string(): |raw| / 1e8"},
  {"schemas/fixed.cpp", "static_cast<long long>(v % scale)", "to_string(): remainder < 1e8"},
  {"actors/collectors/collector.cpp", "static_cast<int64_t>(us)", "pacing_delay(): range checked"},
  {"bridge/rest/rate_limiter.cpp", "static_cast<int64_t>(wait_s)", "capped at 1e9 seconds"},
  {"tools/cluster_cmd.cpp", "static_cast<int64_t>(options.listen_s * 1000)",
   "listen_s checked to [0, 86400] just above"},
};

struct source_file {
  std::string rel;
  std::vector<std::string> lines;
};

std::vector<source_file> read_sources() {
  std::vector<source_file> out;
  const fs::path root{TW_SOURCE_DIR};
  for (const char* dir : scanned_dirs)
    for (const auto& e : fs::recursive_directory_iterator(root / dir)) {
      auto ext = e.path().extension();
      if (!e.is_regular_file() || (ext != ".cpp" && ext != ".hpp"))
        continue;
      source_file f{fs::relative(e.path(), root).generic_string(), {}};
      std::ifstream in{e.path()};
      for (std::string line; std::getline(in, line);)
        f.lines.push_back(line);
      out.push_back(std::move(f));
    }
  return out;
}

/// The line without its // comment (string literals with "//" are rare enough here).
std::string code_of(const std::string& line) {
  auto pos = line.find("//");
  return pos == std::string::npos ? line : line.substr(0, pos);
}

/// Names declared with a 128-bit or floating type in `f` or in its header (same path, .hpp):
/// locals, members, parameters, so a cast of such a variable is found without the type on
/// its line.
std::set<std::string> wide_or_floating_names(const source_file& f,
                                             const std::vector<source_file>& files) {
  static const std::regex decl{
    R"((?:__int128|\bi128|\bu128|\bdouble|\bfloat|long double)\s*[&*]?\s+([A-Za-z_]\w*))"};
  auto header = f.rel.substr(0, f.rel.rfind('.')) + ".hpp";
  std::set<std::string> names;
  for (const auto& g : files) {
    if (g.rel != f.rel && g.rel != header)
      continue;
    for (const auto& line : g.lines) {
      auto code = code_of(line);
      for (std::sregex_iterator it{code.begin(), code.end(), decl}, end; it != end; ++it)
        names.insert((*it)[1]);
    }
  }
  return names;
}

/// The balanced-parenthesis argument starting at `open` (the index of '(').
std::string argument_at(const std::string& code, size_t open) {
  int depth = 0;
  for (size_t i = open; i < code.size(); ++i) {
    if (code[i] == '(')
      ++depth;
    else if (code[i] == ')' && --depth == 0)
      return code.substr(open + 1, i - open - 1);
  }
  return code.substr(open + 1); // continues on the next line: judged on what is here
}

bool mentions_wide_or_floating(const std::string& arg, const std::set<std::string>& names) {
  static const std::regex hint{
    R"(__int128|\bi128\b|\bu128\b|\bdouble\b|\bfloat\b|std::(ceil|floor|round|trunc|pow|sqrt|exp|log)\b|to_double\(|\b\d+\.\d*|\b\d+e[-+]?\d+)"};
  if (std::regex_search(arg, hint))
    return true;
  static const std::regex ident{R"([A-Za-z_]\w*)"};
  for (std::sregex_iterator it{arg.begin(), arg.end(), ident}, end; it != end; ++it)
    if (names.count(it->str()))
      return true;
  return false;
}

bool is_allowed(const std::string& rel, const std::string& line) {
  for (const auto& a : allow_list)
    if (rel == a.file && line.find(a.fragment) != std::string::npos)
      return true;
  return false;
}

const std::string int_type =
  R"((?:std::)?(?:u?int(?:8|16|32|64)_t|(?:unsigned\s+|signed\s+)?(?:long\s+long|long|int|short|char)|unsigned|size_t|ptrdiff_t|intmax_t))";

/// A C-style cast to an integer type in an expression (after an operator, '(' , ',' or
/// return), not a parameter list such as `f(std::size_t) override`.
std::string c_cast_pattern() {
  return R"((?:[=(,+\-*/%<>!&|^?:{]|\breturn)\s*\(\s*)" + int_type +
         R"(\s*\)\s*(?!override\b|const\b|noexcept\b|final\b)[A-Za-z_(0-9])";
}

/// Every suspicious conversion as "file:line: text".
std::vector<std::string> find_wrapping_casts() {
  auto files = read_sources();
  const std::regex cast{"static_cast<\\s*" + int_type + "\\s*>\\s*\\("};
  const std::regex c_cast{c_cast_pattern()};
  const std::regex rounding{R"(\b(?:std::)?l{1,2}(?:round|rint)\s*\()"};
  std::vector<std::string> found;
  for (const auto& f : files) {
    auto names = wide_or_floating_names(f, files);
    for (size_t n = 0; n < f.lines.size(); ++n) {
      auto code = code_of(f.lines[n]);
      bool bad = std::regex_search(code, c_cast) || std::regex_search(code, rounding);
      for (std::sregex_iterator it{code.begin(), code.end(), cast}, end; it != end && !bad; ++it) {
        auto open = static_cast<size_t>(it->position() + it->length() - 1);
        bad = mentions_wide_or_floating(argument_at(code, open), names);
      }
      if (bad && !is_allowed(f.rel, f.lines[n]))
        found.push_back(f.rel + ":" + std::to_string(n + 1) + ": " + f.lines[n]);
    }
  }
  return found;
}

std::string joined(const std::vector<std::string>& v) {
  std::ostringstream out;
  for (const auto& s : v)
    out << "  " << s << "\n";
  return out.str();
}

} // namespace

TEST(no_wrap_casts, production_sources_narrow_only_where_the_range_is_proven) {
  auto found = find_wrapping_casts();
  EXPECT_TRUE(found.empty()) << "casts that can wrap (narrow through fixed::from_ratio, or prove "
                                "the range and add the site to the allow-list with why):\n"
                             << joined(found);
}

TEST(no_wrap_casts, every_allow_list_entry_still_matches_a_line) {
  // A stale entry would silently allow a future cast with the same text elsewhere.
  auto files = read_sources();
  for (const auto& a : allow_list) {
    bool hit = false;
    for (const auto& f : files)
      for (const auto& line : f.lines)
        hit = hit || (f.rel == a.file && line.find(a.fragment) != std::string::npos);
    EXPECT_TRUE(hit) << a.file << ": " << a.fragment << " (" << a.why << ")";
  }
}

TEST(no_wrap_casts, the_scanner_finds_what_it_is_meant_to_find) {
  // Guards the regexes themselves: each of these must be flagged.
  const std::set<std::string> names{"wide", "seconds"};
  EXPECT_TRUE(mentions_wide_or_floating("static_cast<__int128>(a) * b", names));
  EXPECT_TRUE(mentions_wide_or_floating("wide / den", names));
  EXPECT_TRUE(mentions_wide_or_floating("std::ceil(x)", names));
  EXPECT_TRUE(mentions_wide_or_floating("seconds * 1000", names));
  EXPECT_TRUE(mentions_wide_or_floating("x * 1.5", names));
  EXPECT_FALSE(mentions_wide_or_floating("v.size()", names));
  const std::regex c_cast{c_cast_pattern()};
  EXPECT_TRUE(std::regex_search(std::string{"auto r = (int64_t)q;"}, c_cast));
  EXPECT_TRUE(std::regex_search(std::string{"auto r = (long long)(a * b);"}, c_cast));
  EXPECT_FALSE(std::regex_search(std::string{"std::function<int64_t()> f;"}, c_cast));
  EXPECT_TRUE(std::regex_search(std::string{"return (int)x;"}, c_cast));
  EXPECT_FALSE(std::regex_search(std::string{"bool start_object(std::size_t) override {"}, c_cast));
  EXPECT_FALSE(std::regex_search(std::string{"void f(int) const;"}, c_cast));
}
