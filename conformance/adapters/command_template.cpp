#include "conformance/adapters/command_template.h"

namespace zairyu::conformance {
namespace {

// Walks `text`, calling `literal` for plain text and `field` for each
// placeholder name.
void scan(std::string_view text, const std::function<void(std::string_view)>& literal,
          const std::function<void(std::string_view)>& field) {
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      literal("{");
      i += 2;
    } else if (c == '}' && i + 1 < text.size() && text[i + 1] == '}') {
      literal("}");
      i += 2;
    } else if (c == '}') {
      throw TemplateError("stray '}' at offset " + std::to_string(i) + " (write }} for a brace)");
    } else if (c == '{') {
      const std::size_t end = text.find('}', i + 1);
      if (end == std::string_view::npos) {
        throw TemplateError("unclosed '{' at offset " + std::to_string(i));
      }
      const std::string_view name = text.substr(i + 1, end - i - 1);
      if (name.empty() || name.find('{') != std::string_view::npos) {
        throw TemplateError("bad placeholder at offset " + std::to_string(i));
      }
      field(name);
      i = end + 1;
    } else {
      const std::size_t next = text.find_first_of("{}", i);
      const std::size_t stop = next == std::string_view::npos ? text.size() : next;
      literal(text.substr(i, stop - i));
      i = stop;
    }
  }
}

}  // namespace

std::vector<std::string> placeholders(std::string_view text,
                                      const std::function<bool(std::string_view)>& known) {
  std::vector<std::string> names;
  scan(
      text, [](std::string_view) {},
      [&](std::string_view name) {
        if (!known(name)) throw TemplateError("unknown placeholder {" + std::string(name) + "}");
        names.emplace_back(name);
      });
  return names;
}

Expanded expand_template(std::string_view text, const TemplateLookup& lookup, bool quote) {
  Expanded out;
  scan(
      text,
      [&](std::string_view literal) {
        out.text += literal;
        out.traced += literal;
      },
      [&](std::string_view name) {
        const std::optional<TemplateValue> value = lookup(name);
        if (!value) {
          throw TemplateError("placeholder {" + std::string(name) + "} has no value here");
        }
        out.text += quote ? shell_quote(value->text) : value->text;
        out.traced += value->secret ? "****" : (quote ? shell_quote(value->text) : value->text);
      });
  return out;
}

std::string shell_quote(std::string_view value) {
  std::string out = "'";
  for (const char c : value) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace zairyu::conformance
