// uniapi — Merge ATS: every resource, as a tuple for code that visits them all.
#ifndef UNIAPI_MERGE_ATS_ALL_HPP
#define UNIAPI_MERGE_ATS_ALL_HPP

#include <uniapi/merge/ats/application.hpp>
#include <uniapi/merge/ats/attachment.hpp>
#include <uniapi/merge/ats/candidate.hpp>
#include <uniapi/merge/ats/job.hpp>

#include <tuple>

namespace uniapi::merge::ats {

/// The Merge ATS resources uniapi models.
using all_resources =
    std::tuple<applications_resource, attachments_resource, candidates_resource, jobs_resource>;

}  // namespace uniapi::merge::ats

#endif
