// The compiled part of uniapi::beast: local_server's request handlers.
#include <uniapi/testing/impl/local_server.ipp>
