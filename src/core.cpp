// The compiled part of uniapi::beast: the core's non-template code (the JSON decoder and its
// parser, query strings, the providers' error mapping).
#include <uniapi/json/impl/decoder.ipp>
#include <uniapi/merge/impl/error_body.ipp>
#include <uniapi/merge/impl/profile.ipp>
#include <uniapi/truto/impl/error_body.ipp>
#include <uniapi/truto/impl/profile.ipp>
#include <uniapi/wire/impl/query_string.ipp>
