// The strict JSON reader of form documents: nlohmann's SAX parser (RFC 8259,
// no comments, no trailing commas) building a DocNode. Unlike nlohmann::json
// itself it refuses duplicate keys.
#include <nlohmann/json.hpp>

#include <set>

#include "form/document.h"

namespace zairyu::client::detail {
namespace {

// Builds the tree on a stack of open containers.
class JsonBuilder : public nlohmann::json_sax<nlohmann::json> {
 public:
  DocNode take() { return std::move(root_); }

  bool null() override { return add(DocNode{DocNode::Kind::kNull, {}, {}, {}}); }
  bool boolean(bool value) override {
    return add(DocNode{DocNode::Kind::kBool, value ? "true" : "false", {}, {}});
  }
  bool number_integer(number_integer_t value) override { return number(std::to_string(value)); }
  bool number_unsigned(number_unsigned_t value) override { return number(std::to_string(value)); }
  bool number_float(number_float_t, const string_t& text) override { return number(text); }
  bool string(string_t& value) override {
    return add(DocNode{DocNode::Kind::kString, value, {}, {}});
  }
  bool binary(binary_t&) override { return false; }  // not produced by the JSON parser
  bool start_object(std::size_t) override { return open(DocNode::Kind::kMap); }
  bool key(string_t& key) override {
    Open& top = open_.back();
    const std::string path = child_path(top.path, key);
    if (!top.keys.insert(key).second) fail(path, "appears twice");
    top.key = key;
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(DocNode::Kind::kList); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& e) override {
    // e.what() is "[json.exception.parse_error.101] parse error at line 1, column 9: ...".
    std::string what = e.what();
    if (const auto at = what.find("] "); at != std::string::npos) what.erase(0, at + 2);
    fail("", "JSON syntax error (byte " + std::to_string(position) + "): " + what);
  }

 private:
  struct Open {
    DocNode node;
    std::string path;
    std::string key;  // of the next member (maps)
    std::set<std::string> keys;
  };

  std::string next_path() const {
    if (open_.empty()) return "";
    const Open& top = open_.back();
    return top.node.kind == DocNode::Kind::kMap ? child_path(top.path, top.key)
                                                : item_path(top.path, top.node.items.size());
  }
  bool number(const std::string& text) {
    return add(DocNode{DocNode::Kind::kNumber, text, {}, {}});
  }
  bool open(DocNode::Kind kind) {
    const std::string path = next_path();
    if (open_.size() >= kMaxDepth) fail(path, "nested too deeply");
    count(path);
    open_.push_back(Open{DocNode{kind, {}, {}, {}}, path, {}, {}});
    return true;
  }
  bool close() {
    DocNode done = std::move(open_.back().node);
    open_.pop_back();
    return attach(std::move(done));
  }
  bool add(DocNode node) {
    count(next_path());
    return attach(std::move(node));
  }
  bool attach(DocNode node) {
    if (open_.empty()) {
      root_ = std::move(node);
    } else if (open_.back().node.kind == DocNode::Kind::kMap) {
      open_.back().node.members.emplace_back(open_.back().key, std::move(node));
    } else {
      open_.back().node.items.push_back(std::move(node));
    }
    return true;
  }
  void count(const std::string& path) {
    if (++nodes_ > kMaxNodes) fail(path, "the document has too many nodes");
  }

  DocNode root_;
  std::vector<Open> open_;
  std::size_t nodes_ = 0;
};

}  // namespace

DocNode read_json_document(std::string_view text) {
  if (text.size() > kMaxDocumentBytes) fail("", "the document is larger than 1 MiB");
  JsonBuilder builder;
  nlohmann::json::sax_parse(text, &builder, nlohmann::json::input_format_t::json,
                            /*strict=*/true, /*ignore_comments=*/false);
  return builder.take();
}

}  // namespace zairyu::client::detail
