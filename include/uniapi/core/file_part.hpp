// uniapi — a file to upload: the member type that makes a request body multipart/form-data.
#ifndef UNIAPI_CORE_FILE_PART_HPP
#define UNIAPI_CORE_FILE_PART_HPP

#include <uniapi/core/result.hpp>

#include <cstdio>
#include <memory>
#include <string>

namespace uniapi {

/// A file to upload as one part of a multipart/form-data body (see `encode_multipart`).
struct file_part {
  std::string filename;                                   ///< sent in Content-Disposition
  std::string content_type = "application/octet-stream";  ///< the part's Content-Type
  std::string data;                                       ///< the file's bytes

  /// Reads `path` into a part named after the file.
  static result<file_part> from_file(const std::string& path,
                                     std::string content_type = "application/octet-stream") {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!f) return make_error(errc::invalid_argument, "cannot open " + path);
    std::string data;
    char buf[64 * 1024];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, f.get()))
      data.append(buf, n);
    if (std::ferror(f.get())) return make_error(errc::invalid_argument, "cannot read " + path);
    auto slash = path.find_last_of('/');
    return file_part{slash == std::string::npos ? path : path.substr(slash + 1),
                     std::move(content_type), std::move(data)};
  }
};

}  // namespace uniapi

#endif
