// Between the public client types and zairyu.online.v1 messages. Internal to
// zairyu_client_online.
#pragma once

#include "zairyu/client/online_client.h"
#include "zairyu/online/v1/online.pb.h"

namespace zairyu::client::detail {

namespace pb = ::zairyu::online::v1;

pb::UserCategory to_proto(UserCategory category);
// Throws OnlineError (BAD_RESPONSE) for a value the client does not know.
UserCategory from_proto(pb::UserCategory category, const std::string& method);

pb::ApplicationForm to_proto(const ApplicationForm& form);

FileVerdict from_proto(const pb::FileVerdict& verdict);
ApplicationStatus from_proto(const pb::Application& application);
PendingProof from_proto(const pb::PendingProof& proof);

// Throws std::invalid_argument for an event name online.proto does not know.
pb::SubmitNotificationRequest to_proto(const Notification& notification);
NotificationRecord from_proto(const pb::Notification& notification);

// RFC 3339 in UTC; empty when the field is absent.
std::string rfc3339(const google::protobuf::Timestamp& t, bool present);

}  // namespace zairyu::client::detail
