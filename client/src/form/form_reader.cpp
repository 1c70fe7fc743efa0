#include "form/form_reader.h"

#include <charconv>
#include <initializer_list>
#include <limits>

#include "text_checks.h"

namespace zairyu::client::detail {
namespace {

constexpr std::size_t kMaxText = 4096;

// Walks the document along the schema, collecting violations instead of
// stopping at the first, so the user sees every problem at once.
class FormReader {
 public:
  ApplicationForm read(const DocNode& root) {
    ApplicationForm form;
    const auto* top = map(root, "",
                          {"applicant", "procedures", "requested_status", "coe_receipt", "delivery",
                           "postal_address", "photo_size", "attachments"});
    if (!top) return finish(form);
    for (const auto& [key, node] : top->members) {
      const std::string path = key;
      if (node.kind == DocNode::Kind::kNull) continue;  // written but empty: absent
      if (key == "applicant") {
        read_applicant(node, path, form.applicant);
      } else if (key == "procedures") {
        read_procedures(node, path, form.procedures);
      } else if (key == "requested_status") {
        form.requested_status = status(node, path);
      } else if (key == "coe_receipt") {
        const auto v = choice(node, path, {"paper", "email"});
        if (v == "email") form.coe_receipt = ApplicationForm::CoeReceipt::kEmail;
      } else if (key == "delivery") {
        const auto v = choice(node, path, {"post", "counter"});
        if (v == "counter") form.delivery = ApplicationForm::Delivery::kCounter;
      } else if (key == "postal_address") {
        form.postal_address = text(node, path);
      } else if (key == "photo_size") {
        form.photo_size = unsigned_integer(node, path, std::numeric_limits<std::uint64_t>::max());
      } else if (key == "attachments") {
        read_attachments(node, path, form.attachments);
      }
    }
    return finish(form);
  }

 private:
  ApplicationForm finish(ApplicationForm& form) {
    if (!violations_.empty()) {
      const auto& first = violations_.front();
      std::string message = "the form is malformed: " + first.field + ": " + first.description;
      if (violations_.size() > 1) {
        message += " (and " + std::to_string(violations_.size() - 1) + " more)";
      }
      throw FormError(message, std::move(violations_));
    }
    return std::move(form);
  }

  void bad(const std::string& path, std::string description) {
    violations_.push_back({path.empty() ? "(document)" : path, std::move(description)});
  }

  // The node as a map whose keys are all in `allowed`; null when it is not a map.
  const DocNode* map(const DocNode& node, const std::string& path,
                     std::initializer_list<std::string_view> allowed) {
    if (node.kind != DocNode::Kind::kMap) {
      bad(path, "must be a mapping of fields");
      return nullptr;
    }
    for (const auto& member : node.members) {
      bool known = false;
      for (auto a : allowed) known = known || a == member.first;
      if (!known) bad(child_path(path, member.first), "unknown field");
    }
    return &node;
  }

  std::string text(const DocNode& node, const std::string& path) {
    if (node.kind != DocNode::Kind::kScalar && node.kind != DocNode::Kind::kString) {
      bad(path, "must be a string");
      return {};
    }
    if (node.text.size() > kMaxText) {
      bad(path, "is longer than 4096 bytes");
      return {};
    }
    // Line breaks are allowed (a multi-line reason); other control characters are not.
    const auto* p = reinterpret_cast<const std::uint8_t*>(node.text.data());
    std::size_t start = 0;
    for (std::size_t i = 0; i <= node.text.size(); ++i) {
      if (i < node.text.size() && node.text[i] != '\n') continue;
      if (!is_clean_utf8(ByteView(p + start, i - start))) {
        bad(path, "must be UTF-8 text without control characters");
        return {};
      }
      start = i + 1;
    }
    return node.text;
  }

  std::uint64_t unsigned_integer(const DocNode& node, const std::string& path, std::uint64_t max) {
    if (node.kind != DocNode::Kind::kScalar && node.kind != DocNode::Kind::kNumber) {
      bad(path, "must be a number");
      return 0;
    }
    std::uint64_t value = 0;
    const char* end = node.text.data() + node.text.size();
    const auto [ptr, ec] = std::from_chars(node.text.data(), end, value);
    if (node.text.empty() || ec != std::errc() || ptr != end || value > max) {
      bad(path, "must be an integer from 0 to " + std::to_string(max));
      return 0;
    }
    return value;
  }

  bool boolean(const DocNode& node, const std::string& path) {
    const bool typed = node.kind == DocNode::Kind::kBool || node.kind == DocNode::Kind::kScalar;
    if (!typed || (node.text != "true" && node.text != "false")) {
      bad(path, "must be true or false");
      return false;
    }
    return node.text == "true";
  }

  std::string choice(const DocNode& node, const std::string& path,
                     std::initializer_list<std::string_view> allowed) {
    const std::string v = text(node, path);
    std::string list;
    for (auto a : allowed) {
      if (a == v) return v;
      list += (list.empty() ? "" : " or ") + std::string(a);
    }
    if (node.kind == DocNode::Kind::kScalar || node.kind == DocNode::Kind::kString) {
      bad(path, "must be " + list);
    }
    return {};
  }

  // {name, designation}, or a string: the name alone.
  std::optional<StatusOfResidence> status(const DocNode& node, const std::string& path) {
    if (node.kind != DocNode::Kind::kMap) return StatusOfResidence{text(node, path), {}};
    if (!map(node, path, {"name", "designation"})) return std::nullopt;
    StatusOfResidence s;
    bool named = false;
    for (const auto& [key, value] : node.members) {
      if (value.kind == DocNode::Kind::kNull) continue;
      const std::string p = child_path(path, key);
      if (key == "name") s.name = text(value, p), named = true;
      if (key == "designation") s.designation = text(value, p);
    }
    if (!named) bad(child_path(path, "name"), "is required");
    return s;
  }

  // {years, months, days, indefinite}, or "3y", "1y3m", "90d", "indefinite".
  PeriodOfStay period(const DocNode& node, const std::string& path) {
    PeriodOfStay p;
    constexpr std::uint64_t kMax = std::numeric_limits<std::int32_t>::max();
    if (node.kind == DocNode::Kind::kMap) {
      if (!map(node, path, {"years", "months", "days", "indefinite"})) return p;
      for (const auto& [key, value] : node.members) {
        if (value.kind == DocNode::Kind::kNull) continue;
        const std::string q = child_path(path, key);
        if (key == "indefinite") p.indefinite = boolean(value, q);
        const auto n = key == "indefinite" ? 0 : static_cast<int>(unsigned_integer(value, q, kMax));
        if (key == "years") p.years = n;
        if (key == "months") p.months = n;
        if (key == "days") p.days = n;
      }
      return p;
    }
    const std::string s = text(node, path);
    if (s == "indefinite") {
      p.indefinite = true;
      return p;
    }
    if (!parse_period_text(s, p) &&
        (node.kind == DocNode::Kind::kScalar || node.kind == DocNode::Kind::kString)) {
      bad(path,
          "must be like 3y, 1y3m, 6m or 90d (years, months, days in that order), "
          "indefinite, or a mapping {years, months, days}");
    }
    return p;
  }

  static bool parse_period_text(const std::string& s, PeriodOfStay& p) {
    int* parts[] = {&p.years, &p.months, &p.days};
    const char units[] = {'y', 'm', 'd'};
    std::size_t i = 0, next_unit = 0;
    while (i < s.size()) {
      std::size_t j = i;
      while (j < s.size() && j - i < 4 && s[j] >= '0' && s[j] <= '9') ++j;
      if (j == i || j >= s.size()) return false;
      std::size_t unit = next_unit;
      while (unit < 3 && units[unit] != s[j]) ++unit;
      if (unit == 3) return false;
      *parts[unit] = std::stoi(s.substr(i, j - i));
      next_unit = unit + 1;
      i = j + 1;
    }
    return !s.empty();
  }

  void read_applicant(const DocNode& node, const std::string& path, Applicant& a) {
    if (!map(node, path,
             {"birth_date", "status", "period_of_stay", "stay_expires_on", "inability_reason",
              "email"})) {
      return;
    }
    for (const auto& [key, value] : node.members) {
      if (value.kind == DocNode::Kind::kNull) continue;
      const std::string p = child_path(path, key);
      if (key == "birth_date") a.birth_date = text(value, p);
      if (key == "status") a.status = status(value, p);
      if (key == "period_of_stay") a.period_of_stay = period(value, p);
      if (key == "stay_expires_on") a.stay_expires_on = text(value, p);
      if (key == "inability_reason") a.inability_reason = text(value, p);
      if (key == "email") a.email = text(value, p);
    }
  }

  void read_procedures(const DocNode& node, const std::string& path, std::vector<Procedure>& out) {
    if (node.kind != DocNode::Kind::kList) {
      bad(path, "must be a list of procedures");
      return;
    }
    for (std::size_t i = 0; i < node.items.size(); ++i) {
      const std::string p = item_path(path, i);
      const std::string name = text(node.items[i], p);
      if (name.empty() && node.items[i].kind != DocNode::Kind::kScalar &&
          node.items[i].kind != DocNode::Kind::kString) {
        continue;  // already reported as not a string
      }
      try {
        out.push_back(parse_procedure(name));
      } catch (const std::invalid_argument& e) {
        bad(p, e.what());
      }
    }
  }

  // Each a {path, file_name, content_type} mapping, or a string: the path.
  void read_attachments(const DocNode& node, const std::string& path,
                        std::vector<AttachmentFile>& out) {
    if (node.kind != DocNode::Kind::kList) {
      bad(path, "must be a list of files");
      return;
    }
    for (std::size_t i = 0; i < node.items.size(); ++i) {
      const DocNode& item = node.items[i];
      const std::string p = item_path(path, i);
      AttachmentFile file;
      if (item.kind != DocNode::Kind::kMap) {
        file.path = text(item, p);
      } else if (map(item, p, {"path", "file_name", "content_type"})) {
        bool named = false;
        for (const auto& [key, value] : item.members) {
          if (value.kind == DocNode::Kind::kNull) continue;
          const std::string q = child_path(p, key);
          if (key == "path") file.path = text(value, q);
          if (key == "file_name") file.file_name = text(value, q), named = true;
          if (key == "content_type") file.content_type = text(value, q);
        }
        if (file.path.empty()) bad(child_path(p, "path"), "is required");
        if (named && file.file_name.empty()) bad(child_path(p, "file_name"), "must not be empty");
      }
      if (file.file_name.empty()) file.file_name = default_file_name(file.path);
      out.push_back(std::move(file));
    }
  }

  static std::string default_file_name(const std::string& path) {
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
  }

  std::vector<FieldViolation> violations_;
};

}  // namespace

ApplicationForm read_form(const DocNode& document) { return FormReader().read(document); }

}  // namespace zairyu::client::detail
