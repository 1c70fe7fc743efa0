// The YAML reader of form documents (yaml-cpp), in one pass: parse events
// build the DocNode directly, without a YAML::Node tree in between.
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "form/document.h"
#include "zairyu/client/application_form.h"

namespace zairyu::client::detail {
namespace {

// Nodes of `node` and below (map keys are not nodes), and how many levels
// lie below it.
void measure(const DocNode& node, std::size_t& nodes, std::size_t& height) {
  std::size_t below = 0;
  const auto child = [&](const DocNode& c) {
    std::size_t h = 0;
    measure(c, nodes, h);
    below = std::max(below, h + 1);
  };
  ++nodes;
  for (const auto& item : node.items) child(item);
  for (const auto& member : node.members) child(member.second);
  height = below;
}

// Builds the DocNode of the first document from yaml-cpp's parse events on a
// stack of open containers. Counts nodes (an alias counts every node it
// copies) so that aliases cannot blow a small document up into a huge tree.
// The first violation is kept, not thrown, and later events are ignored: a
// syntax error or a second document further on still wins, as it did when the
// text was parsed in full before being read.
class YamlBuilder : public YAML::EventHandler {
 public:
  // The document; throws the first violation seen.
  DocNode take() {
    if (violation_) fail(violation_->path, violation_->description);
    return std::move(root_);
  }

  void OnDocumentStart(const YAML::Mark&) override {}
  // A second document is only counted, never built.
  void OnDocumentEnd() override { ignoring_ = true; }
  void OnNull(const YAML::Mark&, YAML::anchor_t anchor) override {
    if (start_node()) finish(DocNode{}, anchor);
  }
  void OnAlias(const YAML::Mark&, YAML::anchor_t anchor) override {
    if (ignoring_) return;
    const auto found = anchors_.find(anchor);
    if (found == anchors_.end()) {
      // The anchor is on a container still open: a tree without end.
      if (at_key()) return record(path_of(open_.size() - 1), "a key must be a plain string");
      return record(next_path(), "nested too deeply");
    }
    const DocNode& target = found->second;
    if (at_key()) {
      add_key(target);
      return;
    }
    std::size_t height = 0;
    measure(target, nodes_, height);
    if (nodes_ > kMaxNodes) return record(next_path(), "the document has too many nodes");
    if (open_.size() + height > kMaxDepth) return record(next_path(), "nested too deeply");
    attach(DocNode(target));
  }
  void OnScalar(const YAML::Mark&, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    if (ignoring_) return;
    // "!" is the tag of a quoted scalar: a string, never a number.
    DocNode node{tag == "!" ? DocNode::Kind::kString : DocNode::Kind::kScalar, value, {}, {}};
    if (!at_key()) {
      if (start_node()) finish(std::move(node), anchor);
    } else if (add_key(node) && anchor != YAML::NullAnchor) {
      anchors_.insert_or_assign(anchor, std::move(node));
    }
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(DocNode::Kind::kList, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(DocNode::Kind::kMap, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Open {
    DocNode node;
    YAML::anchor_t anchor;
    bool at_key = true;  // maps: the next event is a key
    std::string key;     // maps: of the member whose value comes next
    std::set<std::string> keys;
  };
  struct Violation {
    std::string path;
    std::string description;
  };

  bool at_key() const {
    return !open_.empty() && open_.back().node.kind == DocNode::Kind::kMap && open_.back().at_key;
  }
  // The path of the node that the first `frames` open containers lead to.
  std::string path_of(std::size_t frames) const {
    std::string path;
    for (std::size_t i = 0; i < frames; ++i) {
      const Open& o = open_[i];
      path = o.node.kind == DocNode::Kind::kMap ? child_path(path, o.key)
                                                : item_path(path, o.node.items.size());
    }
    return path;
  }
  std::string next_path() const { return path_of(open_.size()); }
  void record(const std::string& path, const std::string& description) {
    violation_ = Violation{path, description};
    ignoring_ = true;
  }

  // Counts the node that starts here and checks its place; false when it is
  // not to be built.
  bool start_node() {
    if (ignoring_) return false;
    if (at_key()) {
      record(path_of(open_.size() - 1), "a key must be a plain string");
    } else if (++nodes_ > kMaxNodes) {
      record(next_path(), "the document has too many nodes");
    } else if (open_.size() > kMaxDepth) {
      record(next_path(), "nested too deeply");
    }
    return !ignoring_;
  }
  // Takes `key` as the key of the next member; false when it is refused.
  bool add_key(const DocNode& key) {
    if (key.kind != DocNode::Kind::kScalar && key.kind != DocNode::Kind::kString) {
      record(path_of(open_.size() - 1), "a key must be a plain string");
      return false;
    }
    Open& top = open_.back();
    top.key = key.text;
    top.at_key = false;
    if (!top.keys.insert(key.text).second) record(next_path(), "appears twice");
    return !ignoring_;
  }
  void open(DocNode::Kind kind, YAML::anchor_t anchor) {
    if (start_node()) open_.push_back(Open{DocNode{kind, {}, {}, {}}, anchor, true, {}, {}});
  }
  void close() {
    if (ignoring_) return;
    Open done = std::move(open_.back());
    open_.pop_back();
    finish(std::move(done.node), done.anchor);
  }
  void finish(DocNode node, YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor) anchors_.insert_or_assign(anchor, node);
    attach(std::move(node));
  }
  void attach(DocNode node) {
    if (open_.empty()) {
      root_ = std::move(node);
      return;
    }
    Open& top = open_.back();
    if (top.node.kind == DocNode::Kind::kMap) {
      top.node.members.emplace_back(std::move(top.key), std::move(node));
      top.at_key = true;
    } else {
      top.node.items.push_back(std::move(node));
    }
  }

  DocNode root_;
  std::vector<Open> open_;
  std::map<YAML::anchor_t, DocNode> anchors_;
  std::size_t nodes_ = 0;
  bool ignoring_ = false;
  std::optional<Violation> violation_;
};

}  // namespace

DocNode read_yaml_document(std::string_view text) {
  if (text.size() > kMaxDocumentBytes) fail("", "the document is larger than 1 MiB");
  std::istringstream stream{std::string(text)};
  YamlBuilder builder;
  std::size_t documents = 0;
  try {
    // At most two documents are read. YAML::LoadAll is not used on purpose:
    // yaml-cpp 0.7 loops forever (allocating null documents) on inputs such as
    // "[]," (upstream issue jbeder/yaml-cpp#1040, fixed after 0.8).
    YAML::Parser parser(stream);
    while (documents < 2 && parser.HandleNextDocument(builder)) ++documents;
  } catch (const YAML::Exception& e) {
    // Line and column are 0-based in yaml-cpp.
    fail("", "YAML syntax error at line " + std::to_string(e.mark.line + 1) + ", column " +
                 std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  if (documents != 1) fail("", "must hold exactly one YAML document");
  return builder.take();
}

}  // namespace zairyu::client::detail
