// The compiled part of uniapi::beast: the Beast transport.
#include <uniapi/src.hpp>
