#include "form/document.h"

#include "zairyu/client/application_form.h"

namespace zairyu::client::detail {

void fail(const std::string& path, const std::string& description) {
  const std::string where = path.empty() ? "(document)" : path;
  throw FormError(where + ": " + description, {{where, description}});
}

std::string child_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string item_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

}  // namespace zairyu::client::detail
