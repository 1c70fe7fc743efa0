// Strict persona parser: every key is known, every value checked, every error
// names its field path.
#include "emulator/persona/persona.h"

#include "emulator/persona/clean_utf8.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>

namespace zairyu::persona {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }

bool all_digits(std::string_view s) { return std::all_of(s.begin(), s.end(), is_digit); }

// An empty YAML key is named "(empty key)" so every error points somewhere.
std::string join_path(std::string_view parent, std::string_view key) {
  const std::string_view name = key.empty() ? std::string_view("(empty key)") : key;
  return parent.empty() ? std::string(name) : fmt::format("{}.{}", parent, name);
}

// True when `s` is well-formed UTF-8 without control characters.
bool is_clean_utf8(std::string_view s) { return jpki::clean_utf8_length(s).has_value(); }

// Status of residence names (出入国管理及び難民認定法 別表第一・第二) plus 特別永住者.
// 高度専門職, 特定技能 and 技能実習 also take a numbered category ("特定技能1号",
// "技能実習2号ロ", "高度専門職1号イ"), written with ASCII digits.
constexpr std::string_view kStatuses[] = {
    "外交",
    "公用",
    "教授",
    "芸術",
    "宗教",
    "報道",
    "高度専門職",
    "経営・管理",
    "法律・会計業務",
    "医療",
    "研究",
    "教育",
    "技術・人文知識・国際業務",
    "企業内転勤",
    "介護",
    "興行",
    "技能",
    "特定技能",
    "技能実習",
    "文化活動",
    "短期滞在",
    "留学",
    "研修",
    "家族滞在",
    "特定活動",
    "永住者",
    "日本人の配偶者等",
    "永住者の配偶者等",
    "定住者",
    "特別永住者",
};

bool is_known_status(std::string_view status) {
  if (std::ranges::find(kStatuses, status) != std::end(kStatuses)) return true;
  for (std::string_view base : {"高度専門職", "特定技能", "技能実習"}) {
    if (!status.starts_with(base)) continue;
    std::string_view rest = status.substr(base.size());
    // <digit>号 followed optionally by イ, ロ or ハ.
    if (rest.size() < 1 + 3 || !is_digit(rest[0]) || rest[0] == '0') return false;
    if (rest.substr(1, 3) != "号") return false;
    rest.remove_prefix(4);
    return rest.empty() || rest == "イ" || rest == "ロ" || rest == "ハ";
  }
  return false;
}

// Reads one YAML mapping strictly: unknown or duplicate keys are errors, and
// each accessor knows the field path for its messages.
class MapReader {
 public:
  MapReader(const YAML::Node& node, std::string path, std::set<std::string> allowed)
      : path_(std::move(path)) {
    if (!node.IsMap()) throw PersonaError(display_path(), "must be a mapping");
    std::set<std::string> seen;
    for (const auto& kv : node) {
      if (!kv.first.IsScalar()) throw PersonaError(display_path(), "keys must be plain strings");
      const std::string key = kv.first.Scalar();
      if (!allowed.contains(key)) throw PersonaError(join_path(path_, key), "unknown key");
      if (!seen.insert(key).second) throw PersonaError(join_path(path_, key), "duplicate key");
      children_.emplace(key, kv.second);
    }
  }

  std::string child_path(std::string_view key) const { return join_path(path_, key); }
  bool has(const std::string& key) const { return children_.contains(key); }

  const YAML::Node& node(const std::string& key) const {
    auto it = children_.find(key);
    if (it == children_.end()) throw PersonaError(child_path(key), "is required");
    return it->second;
  }

  std::string string(const std::string& key) const { return scalar(node(key), child_path(key)); }
  std::optional<std::string> optional_string(const std::string& key) const {
    if (!has(key)) return std::nullopt;
    return string(key);
  }

  Date date(const std::string& key) const {
    auto parsed = parse_iso_date(string(key));
    if (!parsed) throw PersonaError(child_path(key), "must be a date YYYY-MM-DD");
    return *parsed;
  }

  bool boolean(const std::string& key) const {
    const std::string v = string(key);
    if (v == "true") return true;
    if (v == "false") return false;
    throw PersonaError(child_path(key), "must be true or false");
  }

  int integer(const std::string& key, int min, int max) const {
    const std::string v = string(key);
    if (v.empty() || v.size() > 4 || !all_digits(v) || std::stoi(v) < min || std::stoi(v) > max) {
      throw PersonaError(child_path(key),
                         fmt::format("must be an integer from {} to {}", min, max));
    }
    return std::stoi(v);
  }

  static std::string scalar(const YAML::Node& n, const std::string& path) {
    if (!n.IsScalar()) throw PersonaError(path, "must be a string");
    return n.Scalar();
  }

 private:
  std::string display_path() const { return path_.empty() ? "(document)" : path_; }

  std::string path_;
  std::map<std::string, YAML::Node> children_;
};

bool is_valid_id(std::string_view id) {
  if (id.empty() || id.size() > 64 || id.front() == '-' || id.back() == '-') return false;
  return std::all_of(id.begin(), id.end(),
                     [](char c) { return is_lower(c) || is_digit(c) || c == '-'; });
}
constexpr std::string_view kIdRule =
    "must be 1-64 characters of a-z, 0-9 and '-', not starting or ending with '-'";

std::vector<std::string> split_words(std::string_view s) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t end = std::min(s.find(' ', start), s.size());
    words.emplace_back(s.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

constexpr std::string_view kIdeographicSpace = "\u3000";

PersonaName parse_name(const YAML::Node& node, const std::string& path) {
  PersonaName name;
  bool family_words_given = false;
  if (node.IsScalar()) {
    name.full = node.Scalar();
  } else {
    MapReader r(node, path, {"full", "family_words", "alias"});
    name.full = r.string("full");
    if (r.has("family_words")) {
      name.family_words = static_cast<std::size_t>(r.integer("family_words", 1, 20));
      family_words_given = true;
    }
    name.alias = r.optional_string("alias");
    if (name.alias && (name.alias->empty() || !is_clean_utf8(*name.alias))) {
      throw PersonaError(r.child_path("alias"), "must be non-empty UTF-8 text");
    }
  }
  const std::string full_path = node.IsScalar() ? path : join_path(path, "full");
  if (name.full.empty() || !is_clean_utf8(name.full)) {
    throw PersonaError(full_path, "must be non-empty UTF-8 text");
  }
  if (name.full.front() == ' ' || name.full.back() == ' ' ||
      name.full.find("  ") != std::string::npos) {
    throw PersonaError(full_path, "must not have leading, trailing or repeated spaces");
  }
  if (name.full.find(kIdeographicSpace) != std::string::npos) {
    if (family_words_given) {
      throw PersonaError(join_path(path, "family_words"),
                         "must be absent when name.full already contains U+3000");
    }
  } else if (name.family_words > split_words(name.full).size()) {
    throw PersonaError(join_path(path, "family_words"),
                       "must not exceed the number of words in name.full");
  }
  return name;
}

Sex parse_sex(const std::string& v, const std::string& path) {
  if (v == "male") return Sex::kMale;
  if (v == "female") return Sex::kFemale;
  if (v == "not_applicable") return Sex::kNotApplicable;
  throw PersonaError(path, "must be one of male, female, not_applicable");
}

// "3y", "1y3m", "6m", "90d": optional years, months, days in that order, at
// least one part, each 1-999.
bool is_valid_stay_length(std::string_view s) {
  if (s.empty()) return false;
  std::string_view units = "ymd";
  std::size_t unit_index = 0;
  while (!s.empty()) {
    std::size_t n = 0;
    while (n < s.size() && is_digit(s[n])) ++n;
    if (n == 0 || n > 3 || s[0] == '0' || n == s.size()) return false;
    const std::size_t pos = units.find(s[n], unit_index);
    if (pos == std::string_view::npos) return false;
    unit_index = pos + 1;
    s.remove_prefix(n + 1);
  }
  return true;
}

PeriodOfStay parse_period(const YAML::Node& node, const std::string& path) {
  MapReader r(node, path, {"length", "expires"});
  PeriodOfStay p;
  p.length = r.string("length");
  if (!is_valid_stay_length(p.length)) {
    throw PersonaError(r.child_path("length"),
                       "must be years, months and/or days such as 3y, 1y3m, 6m or 90d");
  }
  p.expires = r.date("expires");
  return p;
}

RevocationReason parse_reason(const std::string& v, const std::string& path) {
  static const std::map<std::string, RevocationReason, std::less<>> kReasons = {
      {"unspecified", RevocationReason::kUnspecified},
      {"address_change", RevocationReason::kAddressChange},
      {"name_change", RevocationReason::kNameChange},
      {"holder_request", RevocationReason::kHolderRequest},
      {"key_compromise", RevocationReason::kKeyCompromise},
      {"reissued", RevocationReason::kReissued},
  };
  auto it = kReasons.find(v);
  if (it == kReasons.end()) {
    throw PersonaError(path,
                       "must be one of unspecified, address_change, name_change, "
                       "holder_request, key_compromise, reissued");
  }
  return it->second;
}

CertificateWindow parse_window(const YAML::Node& node, const std::string& path) {
  MapReader r(node, path, {"not_before", "not_after", "revoked"});
  CertificateWindow w;
  w.not_before = r.date("not_before");
  w.not_after = r.date("not_after");
  if (w.not_after < w.not_before) {
    throw PersonaError(r.child_path("not_after"), "must not be before not_before");
  }
  if (r.has("revoked")) {
    MapReader rr(r.node("revoked"), r.child_path("revoked"), {"date", "reason"});
    Revocation rev;
    rev.date = rr.date("date");
    if (rev.date < w.not_before || w.not_after < rev.date) {
      throw PersonaError(rr.child_path("date"), "must be within not_before..not_after");
    }
    if (rr.has("reason")) rev.reason = parse_reason(rr.string("reason"), rr.child_path("reason"));
    w.revoked = rev;
  }
  return w;
}

bool is_four_digits(std::string_view s) { return s.size() == 4 && all_digits(s); }

void check_sign_pin(const std::string& pin, const std::string& path) {
  const bool charset_ok =
      pin.size() >= 6 && pin.size() <= 16 &&
      std::all_of(pin.begin(), pin.end(), [](char c) { return is_upper(c) || is_digit(c); });
  if (!charset_ok) throw PersonaError(path, "must be 6-16 characters of A-Z and 0-9");
  if (std::none_of(pin.begin(), pin.end(), is_upper) ||
      std::none_of(pin.begin(), pin.end(), is_digit)) {
    throw PersonaError(path, "must contain at least one letter and one digit");
  }
}

CardSettings parse_card(const YAML::Node& node, const std::string& path) {
  MapReader r(node, path, {"expires", "pin_tries_left", "options"});
  CardSettings c;
  c.expires = r.date("expires");
  if (r.has("pin_tries_left")) {
    MapReader t(r.node("pin_tries_left"), r.child_path("pin_tries_left"),
                {"auth", "sign", "input_helper"});
    if (t.has("auth")) c.pin_tries_left.auth = t.integer("auth", 0, 3);
    if (t.has("sign")) c.pin_tries_left.sign = t.integer("sign", 0, 5);
    if (t.has("input_helper")) c.pin_tries_left.input_helper = t.integer("input_helper", 0, 3);
  }
  if (r.has("options")) {
    MapReader o(r.node("options"), r.child_path("options"),
                {"empty_verify_after_success_answers_9000", "clear_security_on_df_change",
                 "extended_length", "eof_answers_6282", "certificate_ef_size_multiple"});
    auto& opt = c.options;
    if (o.has("empty_verify_after_success_answers_9000")) {
      opt.empty_verify_after_success_answers_9000 =
          o.boolean("empty_verify_after_success_answers_9000");
    }
    if (o.has("clear_security_on_df_change")) {
      opt.clear_security_on_df_change = o.boolean("clear_security_on_df_change");
    }
    if (o.has("extended_length")) opt.extended_length = o.boolean("extended_length");
    if (o.has("eof_answers_6282")) opt.eof_answers_6282 = o.boolean("eof_answers_6282");
    if (o.has("certificate_ef_size_multiple")) {
      opt.certificate_ef_size_multiple =
          static_cast<std::size_t>(o.integer("certificate_ef_size_multiple", 0, 4096));
    }
  }
  return c;
}

Relation parse_relation(const std::string& v, const std::string& path) {
  if (v == "parent") return Relation::kParent;
  if (v == "child") return Relation::kChild;
  if (v == "spouse") return Relation::kSpouse;
  if (v == "legal_representative") return Relation::kLegalRepresentative;
  throw PersonaError(path, "must be one of parent, child, spouse, legal_representative");
}

bool is_plausible_email(std::string_view e) {
  const std::size_t at = e.find('@');
  if (at == std::string_view::npos || at == 0 || e.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view domain = e.substr(at + 1);
  const std::size_t dot = domain.find('.');
  if (dot == std::string_view::npos || dot == 0 || domain.back() == '.') return false;
  return std::all_of(e.begin(), e.end(), [](char c) {
    return c > 0x20 && c < 0x7F && c != '(' && c != ')' && c != ',' && c != ';' && c != '<' &&
           c != '>' && c != '[' && c != ']' && c != '\\' && c != '"';
  });
}

Persona parse_document(const YAML::Node& root) {
  MapReader r(root, "",
              {"id", "description", "name", "sex", "birth_date", "address", "nationality",
               "status_of_residence", "period_of_stay", "residence_card_number", "my_number",
               "email", "pins", "card", "certificates", "relatives"});
  Persona p;
  p.id = r.string("id");
  if (!is_valid_id(p.id)) throw PersonaError("id", std::string(kIdRule));
  p.description = r.optional_string("description");
  p.name = parse_name(r.node("name"), "name");
  p.sex = parse_sex(r.string("sex"), "sex");
  p.birth_date = r.date("birth_date");

  p.address = r.string("address");
  if (p.address.empty() || !is_clean_utf8(p.address)) {
    throw PersonaError("address", "must be non-empty UTF-8 text");
  }
  p.nationality = r.string("nationality");
  if (p.nationality.size() != 2 || !is_upper(p.nationality[0]) || !is_upper(p.nationality[1])) {
    throw PersonaError("nationality", "must be an ISO 3166-1 alpha-2 code such as VN");
  }

  p.status_of_residence = r.string("status_of_residence");
  if (!is_known_status(p.status_of_residence)) {
    throw PersonaError("status_of_residence",
                       "must be a status of residence name such as 技術・人文知識・国際業務");
  }
  const bool unlimited = is_unlimited_status(p.status_of_residence);
  if (r.has("period_of_stay")) {
    if (unlimited) {
      throw PersonaError("period_of_stay",
                         fmt::format("must be absent for {}", p.status_of_residence));
    }
    p.period_of_stay = parse_period(r.node("period_of_stay"), "period_of_stay");
  } else if (!unlimited) {
    throw PersonaError("period_of_stay", fmt::format("is required for {}", p.status_of_residence));
  }

  p.residence_card_number = r.string("residence_card_number");
  const auto& rc = p.residence_card_number;
  if (rc.size() != 12 || !is_upper(rc[0]) || !is_upper(rc[1]) ||
      !all_digits(std::string_view(rc).substr(2, 8)) || !is_upper(rc[10]) || !is_upper(rc[11])) {
    throw PersonaError("residence_card_number",
                       "must be 2 letters A-Z, 8 digits and 2 letters A-Z (e.g. AB12345678CD)");
  }

  p.my_number = r.string("my_number");
  if (p.my_number.size() != 12 || !all_digits(p.my_number)) {
    throw PersonaError("my_number", "must be 12 digits");
  }
  if (!is_valid_my_number(p.my_number)) {
    throw PersonaError(
        "my_number",
        fmt::format("check digit must be {}",
                    my_number_check_digit(std::string_view(p.my_number).substr(0, 11))));
  }

  p.email = r.string("email");
  if (!is_plausible_email(p.email)) throw PersonaError("email", "must be an e-mail address");

  p.certificates = [&] {
    MapReader c(r.node("certificates"), "certificates", {"auth", "sign"});
    Certificates certs;
    certs.auth = parse_window(c.node("auth"), c.child_path("auth"));
    if (c.has("sign")) certs.sign = parse_window(c.node("sign"), c.child_path("sign"));
    return certs;
  }();

  {
    MapReader pins(r.node("pins"), "pins", {"auth", "sign", "input_helper"});
    p.pins.auth = pins.string("auth");
    if (!is_four_digits(p.pins.auth)) throw PersonaError("pins.auth", "must be 4 digits");
    if (pins.has("sign")) {
      if (!p.certificates.sign) {
        throw PersonaError("pins.sign", "must be absent when certificates.sign is absent");
      }
      p.pins.sign = pins.string("sign");
      check_sign_pin(*p.pins.sign, "pins.sign");
    } else if (p.certificates.sign) {
      throw PersonaError("pins.sign", "is required when certificates.sign is present");
    }
    p.pins.input_helper = pins.string("input_helper");
    if (!is_four_digits(p.pins.input_helper)) {
      throw PersonaError("pins.input_helper", "must be 4 digits");
    }
  }

  p.card = parse_card(r.node("card"), "card");

  if (r.has("relatives")) {
    const YAML::Node& list = r.node("relatives");
    if (!list.IsSequence()) throw PersonaError("relatives", "must be a list");
    for (std::size_t i = 0; i < list.size(); ++i) {
      MapReader rel(list[i], fmt::format("relatives[{}]", i), {"persona", "relation"});
      Relative relative;
      relative.persona = rel.string("persona");
      if (!is_valid_id(relative.persona)) {
        throw PersonaError(rel.child_path("persona"), std::string(kIdRule));
      }
      if (relative.persona == p.id) {
        throw PersonaError(rel.child_path("persona"), "must not be the persona itself");
      }
      relative.relation = parse_relation(rel.string("relation"), rel.child_path("relation"));
      p.relatives.push_back(relative);
    }
  }
  return p;
}

}  // namespace

std::optional<Date> parse_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const std::string_view y = text.substr(0, 4), m = text.substr(5, 2), d = text.substr(8, 2);
  if (!all_digits(y) || !all_digits(m) || !all_digits(d)) return std::nullopt;
  const auto to_int = [](std::string_view s) {
    int v = 0;
    for (char c : s) v = v * 10 + (c - '0');
    return v;
  };
  const Date date{std::chrono::year{to_int(y)},
                  std::chrono::month{static_cast<unsigned>(to_int(m))},
                  std::chrono::day{static_cast<unsigned>(to_int(d))}};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string format_iso_date(const Date& date) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

PersonaError::PersonaError(std::string field_path, std::string message, std::string file)
    : std::runtime_error(file.empty() ? fmt::format("{}: {}", field_path, message)
                                      : fmt::format("{}: {}: {}", file, field_path, message)),
      field_path_(std::move(field_path)),
      message_(std::move(message)),
      file_(std::move(file)) {}

Persona parse_persona(std::string_view yaml_text) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    throw PersonaError("(document)", fmt::format("not valid YAML: {}", e.what()));
  }
  try {
    return parse_document(root);
  } catch (const PersonaError&) {
    throw;
  } catch (const std::exception& e) {
    // yaml-cpp can still throw while walking an odd document (e.g. aliases);
    // never let anything but PersonaError escape.
    throw PersonaError("(document)", e.what());
  }
}

Persona load_persona_file(const std::filesystem::path& path) {
  const std::string file = path.filename().string();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw PersonaError("(file)", fmt::format("cannot open {}", path.string()), file);
  std::stringstream buffer;
  buffer << in.rdbuf();
  try {
    Persona p = parse_persona(buffer.str());
    if (path.stem().string() != p.id) {
      throw PersonaError("id", fmt::format("must match the file name ({})", path.stem().string()),
                         file);
    }
    return p;
  } catch (const PersonaError& e) {
    if (!e.file().empty()) throw;
    throw PersonaError(e.field_path(), e.message(), file);
  }
}

std::vector<Persona> load_persona_directory(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    throw PersonaError("(directory)", fmt::format("{}: not a directory", dir.string()));
  }
  std::vector<Persona> personas;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
      personas.push_back(load_persona_file(entry.path()));
    }
  }
  std::sort(personas.begin(), personas.end(),
            [](const Persona& a, const Persona& b) { return a.id < b.id; });
  std::set<std::string> ids;
  for (const auto& p : personas) ids.insert(p.id);
  for (const auto& p : personas) {
    for (std::size_t i = 0; i < p.relatives.size(); ++i) {
      if (!ids.contains(p.relatives[i].persona)) {
        throw PersonaError(
            fmt::format("relatives[{}].persona", i),
            fmt::format("no persona named {} in {}", p.relatives[i].persona, dir.string()),
            p.id + ".yaml");
      }
    }
  }
  return personas;
}

int my_number_check_digit(std::string_view first11) {
  if (first11.size() != 11 || !all_digits(first11)) {
    throw std::invalid_argument("my_number_check_digit: need 11 digits");
  }
  // Qn = n+1 (1<=n<=6) or n-5 (7<=n<=11) with n counted from the RIGHT, which
  // is 6,5,4,3,2,7,6,5,4,3,2 from the left.
  constexpr std::array<int, 11> kWeights = {6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
  int sum = 0;
  for (std::size_t i = 0; i < 11; ++i) sum += (first11[i] - '0') * kWeights[i];
  const int remainder = sum % 11;
  return remainder <= 1 ? 0 : 11 - remainder;
}

bool is_valid_my_number(std::string_view my_number) {
  return my_number.size() == 12 && all_digits(my_number) &&
         my_number_check_digit(my_number.substr(0, 11)) == my_number[11] - '0';
}

bool is_unlimited_status(std::string_view status) {
  return status == "永住者" || status == "高度専門職2号" || status == "特別永住者";
}

}  // namespace zairyu::persona
