#include "emulator/online/rule_calendar.h"

#include "emulator/online/rule_catalog.h"

namespace zairyu::online {

const RuleCalendar& RuleCalendar::FollowingTheDate() {
  static const RuleCalendar calendar;
  return calendar;
}

void RuleCalendar::SetRuleSetDate(std::optional<Date> date) {
  const std::lock_guard lock(mu_);
  date_ = date;
}

std::optional<Date> RuleCalendar::rule_set_date() const {
  const std::lock_guard lock(mu_);
  return date_;
}

Date RuleCalendar::RulesOn(Date today) const { return rule_set_date().value_or(today); }

bool RuleCalendar::InForce(std::string_view rule_id, Date today) const {
  return RuleInForce(rule_id, RulesOn(today));
}

}  // namespace zairyu::online
