// Command templates of the command adapter: strings with {placeholders}
// that the runner fills in per action ("{reader}", "{arg.user_id}"). Pure:
// no I/O, so every malformed template is a clear error before a run starts.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace zairyu::conformance {

// A template the adapter file got wrong ("{reader", "{nosuch}").
class TemplateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One value substituted for a placeholder. `secret` values (PINs) appear
// as "****" in the expansion meant for the trace.
struct TemplateValue {
  std::string text;
  bool secret = false;
};

// Looks a placeholder up; nullopt when it has no value for this action
// (e.g. {form_file} for an action without a form): expansion fails then.
using TemplateLookup = std::function<std::optional<TemplateValue>(std::string_view name)>;

// An expansion: what runs, and what the trace may show.
struct Expanded {
  std::string text;
  std::string traced;
};

// The placeholder names in `text`, in order. `{{` and `}}` are a literal
// brace. Throws TemplateError for an unclosed or empty placeholder, a stray
// `}`, or a name `known` rejects.
std::vector<std::string> placeholders(std::string_view text,
                                      const std::function<bool(std::string_view)>& known);

// Fills `text` in. `quote` shell-quotes every substituted value (templates
// run by /bin/sh). Throws TemplateError naming a placeholder without value.
Expanded expand_template(std::string_view text, const TemplateLookup& lookup, bool quote);

// 'it'\''s' style quoting for /bin/sh.
std::string shell_quote(std::string_view value);

}  // namespace zairyu::conformance
