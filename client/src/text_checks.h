// Checks on text read from a card (internal to the library).
#pragma once

#include "zairyu/client/bytes.h"

namespace zairyu::client::detail {

// Well-formed UTF-8 without C0 controls or DEL (shortest form, no surrogates,
// nothing above U+10FFFF).
bool is_clean_utf8(ByteView s);

}  // namespace zairyu::client::detail
