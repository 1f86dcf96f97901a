// The compiled part of uniapi::beast: the JSON decoder's parser.
#include <uniapi/json/impl/decoder.ipp>
