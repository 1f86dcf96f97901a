// The compiled part of uniapi::beast: the Beast transport.
#include <uniapi/transport/impl/beast_transport.ipp>
