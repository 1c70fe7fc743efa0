// The YAML reader of form documents (yaml-cpp).
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <set>
#include <sstream>

#include "form/document.h"
#include "zairyu/client/application_form.h"

namespace zairyu::client::detail {
namespace {

// Walks a yaml-cpp node into a DocNode; counts nodes so that aliases cannot
// blow a small document up into a huge tree.
class YamlConverter {
 public:
  DocNode convert(const YAML::Node& node, const std::string& path, std::size_t depth) {
    if (++nodes_ > kMaxNodes) fail(path, "the document has too many nodes");
    if (depth > kMaxDepth) fail(path, "nested too deeply");
    DocNode out;
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        out.kind = DocNode::Kind::kNull;
        break;
      case YAML::NodeType::Scalar:
        // "!" is the tag of a quoted scalar: a string, never a number.
        out.kind = node.Tag() == "!" ? DocNode::Kind::kString : DocNode::Kind::kScalar;
        out.text = node.Scalar();
        break;
      case YAML::NodeType::Sequence:
        out.kind = DocNode::Kind::kList;
        for (std::size_t i = 0; i < node.size(); ++i) {
          out.items.push_back(convert(node[i], item_path(path, i), depth + 1));
        }
        break;
      case YAML::NodeType::Map: {
        out.kind = DocNode::Kind::kMap;
        std::set<std::string> seen;
        for (const auto& entry : node) {
          if (!entry.first.IsScalar()) fail(path, "a key must be a plain string");
          const std::string key = entry.first.Scalar();
          const std::string member = child_path(path, key);
          if (!seen.insert(key).second) fail(member, "appears twice");
          out.members.emplace_back(key, convert(entry.second, member, depth + 1));
        }
        break;
      }
    }
    return out;
  }

 private:
  std::size_t nodes_ = 0;
};

// Ignores every parse event: used only to count the documents of a stream.
class IgnoreEvents : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// Counts documents, stopping at 2. YAML::LoadAll is not used on purpose:
// yaml-cpp 0.7 loops forever (allocating null documents) on inputs such as
// "[]," (upstream issue jbeder/yaml-cpp#1040, fixed after 0.8).
std::size_t count_documents_up_to_two(const std::string& text) {
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  IgnoreEvents ignore;
  std::size_t documents = 0;
  while (documents < 2 && parser.HandleNextDocument(ignore)) ++documents;
  return documents;
}

}  // namespace

DocNode read_yaml_document(std::string_view text) {
  if (text.size() > kMaxDocumentBytes) fail("", "the document is larger than 1 MiB");
  const std::string owned(text);
  YAML::Node document;
  try {
    if (count_documents_up_to_two(owned) != 1) fail("", "must hold exactly one YAML document");
    document = YAML::Load(owned);
  } catch (const YAML::Exception& e) {
    // Line and column are 0-based in yaml-cpp.
    fail("", "YAML syntax error at line " + std::to_string(e.mark.line + 1) + ", column " +
                 std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  return YamlConverter().convert(document, "", 0);
}

}  // namespace zairyu::client::detail
