// The compiled part of uniapi::beast: the asynchronous Beast transport.
#include <uniapi/transport/beast/impl/beast_async_transport.ipp>
