// The compiled part of uniapi::testing: the loopback server's Beast sessions (each server an
// object of its own, so that a test program links only the servers it uses).
#include <uniapi/testing/impl/loopback_server.ipp>
