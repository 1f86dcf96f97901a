// uniapi — the JSON decoder's parser, compiled once through <uniapi/src.hpp>
// (UNIAPI_SEPARATE_COMPILATION): the explicit instantiation the headers declare extern.
#ifndef UNIAPI_JSON_IMPL_DECODER_IPP
#define UNIAPI_JSON_IMPL_DECODER_IPP

#include <uniapi/json/detail/decoder.hpp>

template class boost::json::basic_parser<uniapi::json::detail::decode_handler>;

#endif
