// The YAML reader of form documents: libyaml's parser, in one pass (its
// events build the DocNode directly). libyaml and not yaml-cpp (which the
// emulator and the conformance suite use): yaml-cpp's scanner matches every
// character against regexes and needed ~10x longer for a form, the largest
// share of the client's own time in a "log in and file" flow.
#include <yaml.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <new>
#include <set>
#include <string>

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

// "YAML syntax error at line L, column C: what"; line and column 1-based.
[[noreturn]] void syntax_error(std::size_t line, std::size_t column, const std::string& what) {
  fail("", "YAML syntax error at line " + std::to_string(line + 1) + ", column " +
               std::to_string(column + 1) + ": " + what);
}

// A libyaml parser over a text, and the event it returned last.
class YamlParser {
 public:
  explicit YamlParser(std::string_view text) : text_(text) {
    if (!yaml_parser_initialize(&parser_)) throw std::bad_alloc();
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
  }
  ~YamlParser() {
    release();
    yaml_parser_delete(&parser_);
  }
  YamlParser(const YamlParser&) = delete;
  YamlParser& operator=(const YamlParser&) = delete;

  // The next event; throws FormError on a syntax error.
  const yaml_event_t& next() {
    release();
    if (!yaml_parser_parse(&parser_, &event_)) fail_parse();
    held_ = true;
    return event_;
  }

 private:
  void release() {
    if (held_) yaml_event_delete(&event_);
    held_ = false;
  }
  [[noreturn]] void fail_parse() const {
    std::string what = parser_.problem ? parser_.problem : "out of memory";
    if (parser_.context) what += std::string(" (") + parser_.context + ")";
    if (parser_.error != YAML_READER_ERROR) {
      syntax_error(parser_.problem_mark.line, parser_.problem_mark.column, what);
    }
    // Encoding errors (invalid UTF-8, control characters) carry a byte offset.
    const std::string_view before = text_.substr(0, std::min(parser_.problem_offset, text_.size()));
    const auto line_start = before.rfind('\n') + 1;  // npos + 1 == 0
    const auto column = std::count_if(before.begin() + line_start, before.end(),
                                      [](char c) { return (c & 0xC0) != 0x80; });
    syntax_error(std::count(before.begin(), before.end(), '\n'), column, what);
  }

  std::string_view text_;
  yaml_parser_t parser_{};
  yaml_event_t event_{};
  bool held_ = false;
};

// Builds the DocNode of the one document from libyaml's events on a stack of
// open containers, and throws at the first violation. Counts nodes (an alias
// counts every node it copies) so that aliases cannot blow a small document
// up into a huge tree. Scalars as yaml-cpp typed them: untagged plain "", ~,
// null, Null and NULL are null; quoted and block scalars and those tagged "!"
// are strings; the rest untyped.
class YamlBuilder {
 public:
  // False once the document (and whether a second one follows) is known.
  bool wants_more() const { return !done_; }

  void handle(const yaml_event_t& e) {
    switch (e.type) {
      case YAML_DOCUMENT_START_EVENT:
        if (++documents_ > 1) done_ = true;
        return;
      case YAML_STREAM_END_EVENT:
        done_ = true;
        return;
      case YAML_ALIAS_EVENT:
        return alias(e);
      case YAML_SCALAR_EVENT:
        return scalar(e);
      case YAML_SEQUENCE_START_EVENT:
        return open(DocNode::Kind::kList, e.data.sequence_start.anchor);
      case YAML_MAPPING_START_EVENT:
        return open(DocNode::Kind::kMap, e.data.mapping_start.anchor);
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        return close();
      default:  // stream start, document end
        return;
    }
  }

  DocNode take() {
    if (documents_ != 1) fail("", "must hold exactly one YAML document");
    return std::move(root_);
  }

 private:
  struct Open {
    DocNode node;
    std::size_t anchor;  // 0: none
    bool at_key = true;  // maps: the next event is a key
    std::string key;     // maps: of the member whose value comes next
    std::set<std::string> keys;
  };

  static bool is_null(const yaml_event_t& e) {
    const auto& s = e.data.scalar;
    if (s.tag || s.style != YAML_PLAIN_SCALAR_STYLE) return false;
    const std::string_view v(reinterpret_cast<const char*>(s.value), s.length);
    return v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL";
  }
  static bool is_string(const yaml_event_t& e) {
    const auto& s = e.data.scalar;
    if (s.tag) return std::strcmp(reinterpret_cast<const char*>(s.tag), "!") == 0;
    return s.style != YAML_PLAIN_SCALAR_STYLE;
  }

  void scalar(const yaml_event_t& e) {
    const std::size_t anchor = define(e.data.scalar.anchor);
    if (is_null(e)) {
      start_node();
      return finish(DocNode{}, anchor);
    }
    DocNode node{
        is_string(e) ? DocNode::Kind::kString : DocNode::Kind::kScalar,
        std::string(reinterpret_cast<const char*>(e.data.scalar.value), e.data.scalar.length),
        {},
        {}};
    if (!at_key()) {
      start_node();
      return finish(std::move(node), anchor);
    }
    add_key(node);
    if (anchor) anchors_.insert_or_assign(anchor, std::move(node));
  }

  void alias(const yaml_event_t& e) {
    const auto id = anchor_ids_.find(reinterpret_cast<const char*>(e.data.alias.anchor));
    if (id == anchor_ids_.end()) {
      syntax_error(e.start_mark.line, e.start_mark.column, "the referenced anchor is not defined");
    }
    const auto found = anchors_.find(id->second);
    if (found == anchors_.end()) {
      // The anchor is on a container still open: a tree without end.
      if (at_key()) fail(path_of(open_.size() - 1), "a key must be a plain string");
      fail(next_path(), "nested too deeply");
    }
    const DocNode& target = found->second;
    if (at_key()) return add_key(target);
    std::size_t height = 0;
    measure(target, nodes_, height);
    if (nodes_ > kMaxNodes) fail(next_path(), "the document has too many nodes");
    if (open_.size() + height > kMaxDepth) fail(next_path(), "nested too deeply");
    attach(DocNode(target));
  }

  // A new id for the anchor `name` (later aliases of the name mean this
  // node); 0 without a name.
  std::size_t define(const yaml_char_t* name) {
    if (!name) return 0;
    anchor_ids_.insert_or_assign(reinterpret_cast<const char*>(name), ++last_anchor_);
    return last_anchor_;
  }

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

  // Counts the node that starts here and checks its place.
  void start_node() {
    if (at_key()) fail(path_of(open_.size() - 1), "a key must be a plain string");
    if (++nodes_ > kMaxNodes) fail(next_path(), "the document has too many nodes");
    if (open_.size() > kMaxDepth) fail(next_path(), "nested too deeply");
  }
  // Takes `key` as the key of the next member.
  void add_key(const DocNode& key) {
    if (key.kind != DocNode::Kind::kScalar && key.kind != DocNode::Kind::kString) {
      fail(path_of(open_.size() - 1), "a key must be a plain string");
    }
    Open& top = open_.back();
    top.key = key.text;
    top.at_key = false;
    if (!top.keys.insert(key.text).second) fail(next_path(), "appears twice");
  }
  void open(DocNode::Kind kind, const yaml_char_t* anchor) {
    const std::size_t id = define(anchor);
    start_node();
    open_.push_back(Open{DocNode{kind, {}, {}, {}}, id, true, {}, {}});
  }
  void close() {
    Open done = std::move(open_.back());
    open_.pop_back();
    finish(std::move(done.node), done.anchor);
  }
  void finish(DocNode node, std::size_t anchor) {
    if (anchor) anchors_.insert_or_assign(anchor, node);
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
  std::map<std::string, std::size_t> anchor_ids_;  // name -> its latest definition
  std::map<std::size_t, DocNode> anchors_;         // finished anchored nodes
  std::size_t last_anchor_ = 0;
  std::size_t nodes_ = 0;
  std::size_t documents_ = 0;
  bool done_ = false;
};

}  // namespace

// Reading stops at the first violation: libyaml has no nesting limit of its
// own, and its scanner's work per token grows with the depth.
DocNode read_yaml_document(std::string_view text) {
  if (text.size() > kMaxDocumentBytes) fail("", "the document is larger than 1 MiB");
  YamlParser parser(text);
  YamlBuilder builder;
  while (builder.wants_more()) builder.handle(parser.next());
  return builder.take();
}

}  // namespace zairyu::client::detail
