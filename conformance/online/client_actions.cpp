#include "conformance/online/client_actions.h"

#include <stdexcept>

#include "conformance/card/card_executor.h"
#include "conformance/card/card_slot.h"
#include "zairyu/client/application_form.h"
#include "zairyu/client/jpki_signer.h"

namespace zairyu::conformance {
namespace {

using client::SecretString;
using nlohmann::json;

client::UserCategory category_arg(const ActionArgs& args, const char* name,
                                  client::UserCategory fallback) {
  const auto text = args.optional_string(name);
  if (!text) return fallback;
  try {
    return client::parse_user_category(*text);
  } catch (const std::invalid_argument&) {
    throw BadArguments(std::string(name) + ": unknown user category " + *text);
  }
}

// The card of `persona` (default: the first card of `given`).
CardSlot& card(ClientRunState& state, const std::string& persona) {
  CardSlot* slot = state.cards->card_of(persona);
  if (slot == nullptr) {
    throw BadArguments(persona.empty() ? "no card in `given`"
                                       : "no card of persona " + persona + " in `given`");
  }
  return *slot;
}

// A signer over `key` of the card, with the step's `pin` or the persona's.
std::unique_ptr<client::JpkiSigner> signer(CardSlot& slot, client::JpkiKey key,
                                           const ActionArgs& args) {
  const auto& pins = slot.persona.persona.pins;
  std::optional<std::string> pin = args.optional_string("pin");
  if (!pin) pin = key == client::JpkiKey::kAuth ? std::optional<std::string>(pins.auth) : pins.sign;
  if (!pin) throw BadArguments("persona " + slot.persona.persona.id + " has no signature PIN");
  return std::make_unique<client::JpkiSigner>(slot.jpki, key, SecretString(*pin));
}

client::OnlineClient& online(ClientRunState& state) { return *state.client; }

json register_user(ClientRunState& state, const ActionArgs& args) {
  client::Registration r;
  r.category = category_arg(args, "category", client::UserCategory::kForeignNational);
  const bool card_category = client::needs_card(r.category);
  const std::string persona = args.string("persona", "");
  CardSlot* slot = card_category || args.has("persona") ? state.cards->card_of(persona) : nullptr;
  r.email = args.string("email", slot != nullptr ? slot->persona.persona.email : "");
  if (r.email.empty()) throw BadArguments("missing argument email (no persona to take it from)");
  const std::string password = args.string("password", kDefaultPassword);
  r.password = SecretString(password);
  r.residence_card_number = args.string(
      "residence_card_number",
      card_category && slot != nullptr ? slot->persona.persona.residence_card_number : "");
  r.notification_certificate_number = args.string("notification_certificate_number", "");
  r.organization_id = args.string("organization", "");
  r.requested_by_organization = args.boolean("requested_by_organization", false);

  std::unique_ptr<client::JpkiSigner> auth;
  if (args.boolean("with_card", card_category)) {
    auth = signer(card(state, persona), client::JpkiKey::kAuth, args);
  }
  const std::string user_id = online(state).register_user(r, auth.get());
  state.user_id = user_id;
  state.password = password;
  state.category = r.category;
  state.persona = auth ? card(state, persona).persona.persona.id : "";
  state.email = r.email;
  state.notification_certificate_number = r.notification_certificate_number;
  return {{"user_id", user_id}};
}

json login(ClientRunState& state, const ActionArgs& args) {
  client::Credentials credentials;
  credentials.user_id = args.string("user_id", state.user_id);
  if (credentials.user_id.empty()) throw BadArguments("no user: register first or give user_id");
  credentials.password = SecretString(args.string("password", state.password));
  credentials.notification_certificate_number =
      args.string("notification_certificate_number", state.notification_certificate_number);
  const bool card_default =
      state.category ? client::needs_card(*state.category) : state.cards->card_of("") != nullptr;
  std::unique_ptr<client::JpkiSigner> auth;
  if (args.boolean("with_card", card_default)) {
    auth = signer(card(state, args.string("persona", state.persona)), client::JpkiKey::kAuth, args);
  }
  const client::Session session = online(state).login(credentials, auth.get());
  return {{"user_id", session.user_id},
          {"category", client::to_string(session.category)},
          {"password_valid_until", session.password_valid_until}};
}

json logout(ClientRunState& state, const ActionArgs&) {
  online(state).logout();
  return json::object();
}

// The form of `apply`: a file relative to the suite directory (attachments
// relative to the file) or an inline object (attachments relative to the
// suite directory).
client::ApplicationForm form_arg(const ClientRunState& state, const ActionArgs& args) {
  const json& form = args.raw("form");
  if (form.is_string())
    return client::load_form_file((state.suite_dir / form.get<std::string>()).string());
  if (!form.is_object()) throw BadArguments("form must be a file name or a form object");
  client::ApplicationForm parsed = client::parse_form(form.dump(), client::FormFormat::kJson);
  client::load_attachments(parsed, state.suite_dir.string());
  return parsed;
}

json verdicts_json(const std::vector<client::FileVerdict>& verdicts) {
  json out = json::object();  // keyed by position: `value` paths have no list index
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    const client::FileVerdict& v = verdicts[i];
    out[std::to_string(i)] = {{"file_name", v.file_name},
                              {"accepted", v.accepted},
                              {"error", v.error},
                              {"rule_id", v.rule_id}};
  }
  return out;
}

json apply(ClientRunState& state, const ActionArgs& args) {
  const client::ApplicationForm form = form_arg(state, args);
  const auto sign =
      signer(card(state, args.string("persona", state.persona)), client::JpkiKey::kSign, args);
  const client::SubmitResult result =
      online(state).submit(form, *sign, args.string("idempotency_key", ""));
  state.provisional_number = result.provisional_number;
  return {{"provisional_number", result.provisional_number},
          {"replayed", result.replayed},
          {"attachments", verdicts_json(result.attachments)}};
}

json status_json(const client::ApplicationStatus& s) {
  json procedures = json::array();
  for (client::Procedure p : s.procedures) procedures.push_back(client::to_string(p));
  return {{"provisional_number", s.provisional_number},
          {"receipt_number", s.receipt_number},
          {"state", s.state},
          {"procedures", procedures},
          {"attachments", verdicts_json(s.attachments)},
          {"user_id", s.user_id}};
}

std::string application_arg(const ClientRunState& state, const ActionArgs& args) {
  const std::string id = args.string("application", state.provisional_number);
  if (id.empty()) throw BadArguments("no application: apply first or give `application`");
  return id;
}

json status(ClientRunState& state, const ActionArgs& args) {
  return status_json(online(state).status(application_arg(state, args)));
}

json list(ClientRunState& state, const ActionArgs&) {
  json applications = json::array();
  for (const auto& s : online(state).list_applications()) applications.push_back(status_json(s));
  return {{"count", applications.size()}, {"applications", applications}};
}

json proof(ClientRunState& state, const ActionArgs& args) {
  const client::PendingProof p = online(state).pending_proof(application_arg(state, args));
  return {{"receipt_number", p.receipt_number},
          {"filed_on", p.filed_on},
          {"stay_expires_on", p.stay_expires_on},
          {"special_period_ends_on", p.special_period_ends_on},
          {"in_special_period", p.in_special_period}};
}

json receipt_json(const client::NotificationReceipt& r) {
  return {{"notification_id", r.notification_id},
          {"deadline", r.deadline},
          {"late", r.late},
          {"filed_at", r.filed_at}};
}

json notify(ClientRunState& state, const ActionArgs& args) {
  client::Notification notification;
  notification.kind = args.required_string("kind");
  notification.event = args.string("event", "");
  notification.event_date = args.string("event_date", "");
  notification.organization_name = args.string("organization", "");
  if (auto status = args.optional_string("status")) {
    notification.status = client::StatusOfResidence{*status, args.string("designation", "")};
  }
  if (args.has("fields")) {
    const json& fields = args.raw("fields");
    if (!fields.is_object()) throw BadArguments("fields must be a mapping");
    for (const auto& [key, value] : fields.items()) {
      if (!value.is_string()) throw BadArguments("fields." + key + " must be a string");
      notification.fields[key] = value.get<std::string>();
    }
  }
  return receipt_json(online(state).submit_notification(notification));
}

json notifications(ClientRunState& state, const ActionArgs&) {
  json out = json::object();  // keyed by position, as verdicts_json
  const auto records = online(state).list_notifications();
  for (std::size_t i = 0; i < records.size(); ++i) {
    json record = receipt_json(records[i].receipt);
    record["kind"] = records[i].kind;
    record["event"] = records[i].event;
    record["event_date"] = records[i].event_date;
    out[std::to_string(i)] = record;
  }
  return {{"count", records.size()}, {"notifications", out}};
}

json change_password(ClientRunState& state, const ActionArgs& args) {
  const std::string user_id = args.string("user_id", state.user_id);
  if (user_id.empty()) throw BadArguments("no user: register first or give user_id");
  const std::string replacement = args.required_string("new");
  online(state).change_password(user_id, SecretString(args.string("old", state.password)),
                                SecretString(replacement));
  if (user_id == state.user_id) state.password = replacement;
  return json::object();
}

json reset_password(ClientRunState& state, const ActionArgs& args) {
  const std::string user_id = args.string("user_id", state.user_id);
  if (user_id.empty()) throw BadArguments("no user: register first or give user_id");
  online(state).request_password_reset(user_id, args.string("email", state.email));
  return json::object();
}

// The code of the newest mail to `email` that carries one: the text after
// "コード: " up to the end of its line, as the user would copy it.
std::string code_from_mail(const json& mailbox, const std::string& email) {
  static const std::string kMarker = "コード: ";
  for (auto it = mailbox.rbegin(); it != mailbox.rend(); ++it) {
    if (!it->is_object() || it->value("to", std::string()) != email) continue;
    const std::string body = it->value("body", std::string());
    const auto at = body.find(kMarker);
    if (at == std::string::npos) continue;
    const auto start = at + kMarker.size();
    return body.substr(start, body.find('\n', start) - start);
  }
  throw BadArguments("no mail with a code to " + email + " (request the reset first)");
}

json complete_reset(ClientRunState& state, const ActionArgs& args) {
  const std::string user_id = args.string("user_id", state.user_id);
  if (user_id.empty()) throw BadArguments("no user: register first or give user_id");
  const std::string code = args.has("code") ? args.required_string("code")
                                            : code_from_mail(state.mailbox(), state.email);
  const std::string replacement = args.required_string("new");
  const std::string valid_until =
      online(state).complete_password_reset(user_id, SecretString(code), SecretString(replacement));
  if (user_id == state.user_id) state.password = replacement;
  return {{"password_valid_until", valid_until}};
}

json forward(ClientRunState& state, const ActionArgs& args) {
  online(state).set_forwarded_for(args.required_string("address"));
  return json::object();
}

}  // namespace

const std::map<std::string, ClientAction, std::less<>>& client_actions() {
  static const std::map<std::string, ClientAction, std::less<>> kActions{
      {"register", register_user},
      {"login", login},
      {"logout", logout},
      {"apply", apply},
      {"status", status},
      {"list", list},
      {"proof", proof},
      {"notify", notify},
      {"notifications", notifications},
      {"password.change", change_password},
      {"password.reset", reset_password},
      {"password.reset.complete", complete_reset},
      {"forward", forward}};
  return kActions;
}

}  // namespace zairyu::conformance
