#include "emulator/online/geo_table.h"

#include <algorithm>

namespace zairyu::online {
namespace {

std::string_view Trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

std::string_view Unquote(std::string_view s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) {
    return s.substr(1, s.size() - 2);
  }
  return s;
}

bool IsCountryCode(std::string_view s) {
  return s.size() == 2 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// One non-empty, comment-free line → entry, or an error description.
std::optional<GeoTable::Entry> ParseLine(std::string_view line, std::string* error) {
  if (line.substr(0, 2) == "- ") line = Trim(line.substr(2));
  const auto sep = line.find_first_of(" \t");
  if (sep == std::string_view::npos) {
    *error = "expected \"CIDR COUNTRY\"";
    return std::nullopt;
  }
  std::string_view cidr_text = Trim(line.substr(0, sep));
  if (!cidr_text.empty() && cidr_text.back() == ':') cidr_text.remove_suffix(1);
  const std::string_view country = Unquote(Trim(line.substr(sep + 1)));
  const auto cidr = ParseCidr(Unquote(cidr_text));
  if (!cidr) {
    *error = "bad CIDR \"" + std::string(cidr_text) + "\"";
    return std::nullopt;
  }
  if (!IsCountryCode(country)) {
    *error = "bad country \"" + std::string(country) + "\" (two upper-case letters)";
    return std::nullopt;
  }
  return GeoTable::Entry{*cidr, std::string(country)};
}

}  // namespace

void GeoTable::Set(const Cidr& prefix, std::string country) {
  for (Entry& e : entries_) {
    if (e.prefix == prefix) {
      e.country = std::move(country);
      return;
    }
  }
  entries_.push_back({prefix, std::move(country)});
}

bool GeoTable::Remove(const Cidr& prefix) {
  return std::erase_if(entries_, [&](const Entry& e) { return e.prefix == prefix; }) > 0;
}

std::optional<std::string> GeoTable::CountryOf(const IpAddress& a) const {
  const Entry* best = nullptr;
  for (const Entry& e : entries_) {
    if (e.prefix.Contains(a) && (best == nullptr || e.prefix.prefix > best->prefix.prefix)) {
      best = &e;
    }
  }
  if (best == nullptr) return std::nullopt;
  return best->country;
}

Result<GeoTable> ParseGeoTable(std::string_view text) {
  GeoTable table;
  std::vector<FieldViolation> errors;
  int number = 0;
  while (!text.empty()) {
    const auto eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    ++number;
    line = Trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    std::string error;
    if (auto entry = ParseLine(line, &error)) {
      table.Set(entry->prefix, std::move(entry->country));
    } else {
      errors.push_back({"line " + std::to_string(number), error});
    }
  }
  if (errors.empty()) return table;
  return Rejection{"GEO_TABLE_INVALID", "RAS-ACC-001", ErrorCategory::kInvalidArgument,
                   "the geo table has " + std::to_string(errors.size()) + " bad line(s)",
                   std::move(errors)};
}

}  // namespace zairyu::online
