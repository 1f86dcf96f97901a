// uniapi — small types shared by the Truto ATS models.
#ifndef UNIAPI_TRUTO_ATS_COMMON_HPP
#define UNIAPI_TRUTO_ATS_COMMON_HPP

#include <boost/describe/class.hpp>

#include <optional>
#include <string>

namespace uniapi::truto::ats {

/// A reference to another record: `{"id": "..."}`.
struct record_ref {
  std::optional<std::string> id;
  BOOST_DESCRIBE_CLASS(record_ref, (), (id), (), ())
};

}  // namespace uniapi::truto::ats

#endif
