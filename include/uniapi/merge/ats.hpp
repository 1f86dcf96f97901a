// uniapi — Merge.dev's ATS API: profile, client and the candidates, applications, attachments
// and jobs resources.
#ifndef UNIAPI_MERGE_ATS_HPP
#define UNIAPI_MERGE_ATS_HPP

#include <uniapi/merge/ats/all.hpp>
#include <uniapi/merge/client.hpp>

#endif
