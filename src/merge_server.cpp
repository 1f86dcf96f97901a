// The compiled part of uniapi::testing: merge_server's request handlers.
#include <uniapi/merge/testing/impl/merge_server.ipp>
