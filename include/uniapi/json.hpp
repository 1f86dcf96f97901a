// uniapi — the JSON codec: decode, stream_decoder, decode_into, encode, raw_json.
#ifndef UNIAPI_JSON_HPP
#define UNIAPI_JSON_HPP

#include <uniapi/json/decode.hpp>
#include <uniapi/json/encode.hpp>
#include <uniapi/json/item_stream.hpp>
#include <uniapi/json/raw_json.hpp>

#endif
