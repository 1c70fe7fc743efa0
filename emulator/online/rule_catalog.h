// The catalog of every rule of the online system the emulator enforces: a
// stable id, the source it comes from (keys of ../shared/domain/online-system.md
// and its seed documents) and the JST dates in which it applies. The rule set
// follows the virtual date: a dated rule is enforced only inside its range.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "emulator/online/jst.h"
#include "emulator/online/rejection.h"

namespace zairyu::online {

// Dates on which the real system changed (online-system.md §3.2).
// [API][COCO] RAS opens to organizations and lawyers/scriveners.
inline constexpr Date kRasOpening =
    Date{std::chrono::year{2019}, std::chrono::July, std::chrono::day{25}};
// [S3][LEAF22][S0] opening to 本人, 法定代理人, 親族; spouse/定住者 statuses added.
inline constexpr Date kIndividualsOpening =
    Date{std::chrono::year{2022}, std::chrono::March, std::chrono::day{16}};
// [S3][COE] a COE can be received by e-mail.
inline constexpr Date kCoeByEmail =
    Date{std::chrono::year{2023}, std::chrono::March, std::chrono::day{17}};
// [S3][SHIKAKUGAI] 資格外活動許可書 by post "from January 2024"; the day is not
// given, the emulator takes the 1st.
inline constexpr Date kOtherActivityByPost =
    Date{std::chrono::year{2024}, std::chrono::January, std::chrono::day{1}};
// [NEW26a][NEW26b] the new RAS (went live 09:00 JST; the emulator switches at
// the start of the day, see README).
inline constexpr Date kNewSystem =
    Date{std::chrono::year{2026}, std::chrono::January, std::chrono::day{5}};

struct RuleInfo {
  std::string_view id;           // "RAS-ELIG-003"
  std::string_view source;       // "[S3] 注4; online-system.md §1.3"
  std::string_view description;  // one line
  std::optional<Date> from;      // first JST day it applies; nullopt = always
  std::optional<Date> until;     // first JST day it no longer applies
};

// All rules, ordered by id.
std::span<const RuleInfo> AllRules();
// The rule with this id, or nullptr.
const RuleInfo* FindRule(std::string_view id);
// Whether rule `id` is in force on JST date `d`. Unknown ids are never in force.
bool RuleInForce(std::string_view id, Date d);
// A rejection by rule `rule_id`.
Rejection Reject(std::string_view rule_id, std::string_view reason, ErrorCategory category,
                 std::string message);

}  // namespace zairyu::online
