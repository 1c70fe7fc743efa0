// Validation of text that people's data may hold: well-formed UTF-8 without
// control characters. Shared by the persona parser and the parser of the
// signature certificate's personal data (which a hostile card may supply).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace zairyu::jpki {

// The number of code points of `s` when it is well-formed UTF-8 (no overlong
// forms, no surrogates, nothing above U+10FFFF) without C0/C1 control
// characters or DEL; nullopt otherwise.
std::optional<std::size_t> clean_utf8_length(std::string_view s);

}  // namespace zairyu::jpki
