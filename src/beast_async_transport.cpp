// The compiled part of uniapi::beast: the asynchronous Beast transport.
#include <uniapi/transport/impl/beast_async_transport.ipp>
