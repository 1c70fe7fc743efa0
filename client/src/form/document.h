// A parsed form document before it is read as a form: the common tree that
// both the YAML and the strict JSON reader produce, so one schema walker
// (form_reader.cpp) serves both. Internal to zairyu_client_form.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zairyu::client::detail {

struct DocMember;

// One node. YAML scalars are untyped (kScalar: the field decides what the
// text means); JSON keeps its types so that `"years": "3"` can be refused.
struct DocNode {
  enum class Kind { kNull, kScalar, kString, kNumber, kBool, kList, kMap };
  Kind kind = Kind::kNull;
  std::string text;                // scalars: the text ("3", "true", "2027-06-30")
  std::vector<DocNode> items;      // kList
  std::vector<DocMember> members;  // kMap, in document order
};

// One member of a map. Not std::pair<std::string, DocNode>: clang 14 with
// libstdc++ 12 cannot instantiate that pair while DocNode is incomplete (the
// fuzz build uses clang).
struct DocMember {
  DocMember(std::string key, DocNode value) : first(std::move(key)), second(std::move(value)) {}
  std::string first;
  DocNode second;
};

// Limits that keep hostile documents cheap (checked by both readers).
inline constexpr std::size_t kMaxDocumentBytes = 1024 * 1024;
inline constexpr std::size_t kMaxDepth = 16;
inline constexpr std::size_t kMaxNodes = 10'000;

// Both throw FormError: syntax errors with their position, duplicate keys and
// the limits above with the path of the offending node.
DocNode read_yaml_document(std::string_view text);
DocNode read_json_document(std::string_view text);

// Throws FormError with one violation at `path` ("(document)" when empty).
[[noreturn]] void fail(const std::string& path, const std::string& description);

// "applicant" + "birth_date" -> "applicant.birth_date"; "" + "x" -> "x".
std::string child_path(const std::string& parent, std::string_view key);
// "procedures" + 1 -> "procedures[1]".
std::string item_path(const std::string& parent, std::size_t index);

}  // namespace zairyu::client::detail
