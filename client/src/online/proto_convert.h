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

}  // namespace zairyu::client::detail
