// uniapi — multipart/form-data request bodies.
#ifndef UNIAPI_MULTIPART_HPP
#define UNIAPI_MULTIPART_HPP

#include <uniapi/json/encode.hpp>
#include <uniapi/json/wire_names.hpp>
#include <uniapi/result.hpp>

#include <boost/describe/members.hpp>
#include <boost/mp11/algorithm.hpp>

#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <type_traits>

namespace uniapi {

/// A file to upload as one part of a multipart/form-data body.
struct file_part {
  std::string filename;                                   ///< sent in Content-Disposition
  std::string content_type = "application/octet-stream";  ///< the part's Content-Type
  std::string data;                                       ///< the file's bytes

  /// Reads `path` into a part named after the file.
  static result<file_part> from_file(const std::string& path,
                                     std::string content_type = "application/octet-stream") {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(errc::invalid_argument, "cannot open " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    auto slash = path.find_last_of('/');
    return file_part{slash == std::string::npos ? path : path.substr(slash + 1),
                     std::move(content_type), std::move(ss).str()};
  }
};

/// True for described structs with at least one `file_part` member: such bodies are sent as
/// multipart/form-data, others as JSON.
template <class T>
constexpr bool is_multipart_body() {
  if constexpr (!boost::describe::has_describe_members<T>::value) {
    return false;
  } else {
    bool any = false;
    boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>(
        [&](auto d) {
          using M = std::remove_cvref_t<decltype(std::declval<T&>().*d.pointer)>;
          if (std::is_same_v<M, file_part> || std::is_same_v<M, std::optional<file_part>>)
            any = true;
        });
    return any;
  }
}

/// A multipart/form-data body and its Content-Type (with the boundary).
struct multipart_body {
  std::string content_type;
  std::string data;
};

/// Encodes the described struct `body` as multipart/form-data: one part per set member, named
/// after it; `file_part` members as files, strings as text, anything else as JSON text.
template <class T>
multipart_body encode_multipart(const T& body) {
  std::random_device rd;
  std::string boundary = "uniapi-";
  static constexpr char alnum[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::uniform_int_distribution<int> pick(0, 35);
  for (int i = 0; i < 32; ++i)
    boundary += alnum[pick(rd)];
  multipart_body out{"multipart/form-data; boundary=" + boundary, {}};
  auto quoted = [](std::string_view s) {
    std::string q;
    for (char c : s) {
      if (c == '"' || c == '\\') q += '\\';
      if (c == '\r' || c == '\n') c = ' ';
      q += c;
    }
    return q;
  };
  auto part = [&](std::string_view name, const std::string* filename, std::string_view type,
                  std::string_view data) {
    out.data +=
        "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + quoted(name) + "\"";
    if (filename) out.data += "; filename=\"" + quoted(*filename) + "\"";
    out.data += "\r\n";
    if (!type.empty()) out.data += "Content-Type: " + std::string(type) + "\r\n";
    out.data += "\r\n";
    out.data.append(data);
    out.data += "\r\n";
  };
  boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>(
      [&](auto d) {
        const auto& m = body.*d.pointer;
        auto name = json::wire_name<T>(d.name);
        auto one = [&](const auto& v) {
          using V = std::remove_cvref_t<decltype(v)>;
          if constexpr (std::is_same_v<V, file_part>)
            part(name, &v.filename, v.content_type, v.data);
          else if constexpr (std::is_same_v<V, std::string>)
            part(name, nullptr, {}, v);
          else
            part(name, nullptr, "application/json", json::encode(v));
        };
        using M = std::remove_cvref_t<decltype(m)>;
        if constexpr (requires {
                        m.has_value();
                        *m;
                      } &&
                      !std::is_same_v<M, std::string>) {
          if (m) one(*m);
        } else {
          one(m);
        }
      });
  out.data += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace uniapi

#endif
