// The compiled part of uniapi::beast: merge_server's request handlers.
#include <uniapi/testing/impl/merge_server.ipp>
