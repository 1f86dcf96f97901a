// The compiled part of uniapi::beast: the test servers' sessions (a separate object, so that a
// program that does not use them does not link them).
#include <uniapi/testing/src.hpp>
