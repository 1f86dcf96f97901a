// The compiled part of uniapi::beast: the test servers' sessions (objects of their own, so that a
// program that does not use them does not link them).
#include <uniapi/testing/impl/loopback_server.ipp>
