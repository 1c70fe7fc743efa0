// The only I/O of zairyu_client_form: reading a form file and its attachments.
#include <filesystem>
#include <fstream>
#include <iterator>

#include "zairyu/client/application_form.h"

namespace zairyu::client {
namespace {

// A file larger than this can never be submitted (RAS-ATT-002's 25 MiB).
constexpr std::uintmax_t kMaxAttachment = 25 * 1024 * 1024;

[[noreturn]] void fail(const std::string& field, const std::string& description) {
  throw FormError(field + ": " + description, {{field, description}});
}

std::string error_text(const std::error_code& ec) { return ec.message(); }

}  // namespace

void load_attachments(ApplicationForm& form, const std::string& base_dir) {
  namespace fs = std::filesystem;
  for (std::size_t i = 0; i < form.attachments.size(); ++i) {
    AttachmentFile& file = form.attachments[i];
    const std::string field = "attachments[" + std::to_string(i) + "].path";
    if (file.path.empty()) fail(field, "is required");
    fs::path path(file.path);
    if (path.is_relative() && !base_dir.empty()) path = fs::path(base_dir) / path;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
      fail(field, "\"" + path.string() + "\" is not a readable file" +
                      (ec ? " (" + error_text(ec) + ")" : ""));
    }
    const auto size = fs::file_size(path, ec);
    if (ec) fail(field, "cannot read \"" + path.string() + "\": " + error_text(ec));
    if (size > kMaxAttachment) {
      fail(field,
           "\"" + path.string() + "\" is larger than the 25 MiB allowed in total (RAS-ATT-002)");
    }
    std::ifstream in(path, std::ios::binary);
    Bytes content;
    content.reserve(size);
    content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) fail(field, "cannot read \"" + path.string() + "\"");
    file.content = std::move(content);
  }
}

ApplicationForm load_form_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) fail("(file)", "cannot read the form \"" + path + "\": " + error_text(ec));
  if (size > 1024 * 1024) fail("(file)", "the form \"" + path + "\" is larger than 1 MiB");
  std::ifstream in(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) fail("(file)", "cannot read the form \"" + path + "\"");
  const auto format = fs::path(path).extension() == ".json" ? FormFormat::kJson : FormFormat::kYaml;
  ApplicationForm form = parse_form(text, format);
  load_attachments(form, fs::path(path).parent_path().string());
  return form;
}

}  // namespace zairyu::client
