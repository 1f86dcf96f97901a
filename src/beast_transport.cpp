// The compiled part of uniapi::beast: the Beast transport.
#include <uniapi/transport/beast/impl/beast_transport.ipp>
