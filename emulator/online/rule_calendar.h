// RuleCalendar: which day's rule set the emulator applies. By default the
// rule catalogue is read at the virtual date (the system behaves as the real
// one did on that day). A test may pin a rule-set date instead: the catalogue
// is then read at that date while the clock keeps deciding everything that is
// a matter of time (deadlines, validity, ages, receipt numbers). Thread-safe.
#pragma once

#include <mutex>
#include <optional>
#include <string_view>

#include "emulator/online/jst.h"

namespace zairyu::online {

class RuleCalendar {
 public:
  RuleCalendar() = default;
  RuleCalendar(const RuleCalendar&) = delete;
  RuleCalendar& operator=(const RuleCalendar&) = delete;

  // A calendar that is never pinned: the rules of the virtual date. The
  // default of the plain check functions.
  static const RuleCalendar& FollowingTheDate();

  // Pins the rule set to `date`; nullopt follows the virtual date again.
  void SetRuleSetDate(std::optional<Date> date);
  std::optional<Date> rule_set_date() const;
  // The date whose rule set applies when the virtual date is `today`.
  Date RulesOn(Date today) const;
  // RuleInForce(rule_id, RulesOn(today)).
  bool InForce(std::string_view rule_id, Date today) const;

 private:
  mutable std::mutex mu_;
  std::optional<Date> date_;
};

}  // namespace zairyu::online
