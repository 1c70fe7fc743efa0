// Reads a DocNode as an ApplicationForm (the form file's schema). Internal.
#pragma once

#include "form/document.h"
#include "zairyu/client/application_form.h"

namespace zairyu::client::detail {

// Throws FormError listing every unknown field, wrong type and bad value,
// each with its path.
ApplicationForm read_form(const DocNode& document);

}  // namespace zairyu::client::detail
