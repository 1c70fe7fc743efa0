// Byte-level PDF checks the attachment rules need. Pure functions over
// untrusted bytes (fuzz targets call them): no parsing of objects or streams.
#pragma once

#include <cstdint>
#include <span>

namespace zairyu::online {

using Bytes = std::span<const std::uint8_t>;

// "%PDF-" within the first 1024 bytes, where Acrobat also accepts it (files
// from some scanners carry a few junk bytes before the header).
bool HasPdfHeader(Bytes file);

// Whether the file names an /Encrypt entry anywhere (the trailer or any
// cross-reference stream dictionary). Password, print and copy protection all
// work through an encryption dictionary, so this finds each of them. Names are
// compared after #xx escapes are decoded (/Encr#79pt is /Encrypt); longer
// names such as /EncryptMetadata do not match. A literal "/Encrypt" inside an
// uncompressed content stream would also match; accepted as rare.
bool PdfIsProtected(Bytes file);

}  // namespace zairyu::online
