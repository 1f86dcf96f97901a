// The compiled part of uniapi::testing: truto_server's request handlers.
#include <uniapi/truto/testing/impl/truto_server.ipp>
