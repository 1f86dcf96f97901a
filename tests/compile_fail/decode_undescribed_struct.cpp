// A struct without BOOST_DESCRIBE_STRUCT cannot be decoded: the first error says it is not
// described.
#include <uniapi/json.hpp>

#include <boost/describe/class.hpp>

struct described {
  int id = 0;
};
BOOST_DESCRIBE_STRUCT(described, (), (id))

struct undescribed {
  int id = 0;
};

int main() {
  (void)uniapi::json::decode<described>(R"({"id":1})");  // control: described
#ifdef UNIAPI_EXPECT_FAILURE
  (void)uniapi::json::decode<undescribed>(R"({"id":1})");
#endif
}
