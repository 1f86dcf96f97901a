// uniapi — the synchronous runner: drives any client operation over a `transport`.
#ifndef UNIAPI_CLIENT_DETAIL_RUN_HPP
#define UNIAPI_CLIENT_DETAIL_RUN_HPP

#include <uniapi/client/client_hooks.hpp>
#include <uniapi/client/detail/observer.hpp>
#include <uniapi/client/detail/operations.hpp>
#include <uniapi/core/result.hpp>
#include <uniapi/transport/transport.hpp>

namespace uniapi::detail {

/// Sends each request `op` asks for through `t` (streaming the body into the operation's sink,
/// or buffered when the operation keeps it whole), telling `hooks`, until `op` has its result.
template <client_operation Op, transport Transport>
result<typename Op::value_type> run(Op&& op, Transport& t, const client_hooks& hooks) {
  while (auto step = op.next()) {
    observer seen(hooks, *step->request);
    auto r = step->whole ? send_buffered(t, *step->request, *step->sink)
                         : send_streaming(t, *step->request, *step->sink);
    if (seen.active()) seen.finished(r);
    op.complete(std::move(r));
  }
  return op.take();
}

}  // namespace uniapi::detail

#endif
