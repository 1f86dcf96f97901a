// The machine and build a benchmark's figures come from.
#ifndef UNIAPI_BENCHMARKS_MACHINE_HPP
#define UNIAPI_BENCHMARKS_MACHINE_HPP

#include <simdjson.h>

#include <fstream>
#include <string>
#include <utility>
#include <vector>

/// `cpu_model`, `built_for_isa` (the instruction sets the program was compiled for: `-march`
/// resolves differently per host) and `simdjson_kernel`, the kernel the On-Demand peer runs. On-
/// Demand is compiled into the program, so that kernel is the one the compiler flags allow
/// (`SIMDJSON_BUILTIN_IMPLEMENTATION`: icelake needs AVX-512, haswell AVX2 with PCLMUL and BMI,
/// else fallback), not the one libsimdjson's run-time dispatch picks for its DOM API
/// (`simdjson_dom_kernel`).
inline std::vector<std::pair<std::string, std::string>> machine_context() {
  std::vector<std::pair<std::string, std::string>> out;
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);)
    if (line.rfind("model name", 0) == 0) {
      out.emplace_back("cpu_model", line.substr(line.find(':') + 2));
      break;
    }
  std::string isa;
  auto add = [&](bool on, const char* name) {
    if (on) isa += (isa.empty() ? "" : " ") + std::string(name);
  };
#if defined(__SSE4_2__)
  add(true, "sse4.2");
#endif
#if defined(__AVX2__)
  add(true, "avx2");
#endif
#if defined(__BMI2__)
  add(true, "bmi2");
#endif
#if defined(__PCLMUL__)
  add(true, "pclmul");
#endif
#if defined(__AVX512F__)
  add(true, "avx512f");
#endif
#if defined(__AVX512BW__)
  add(true, "avx512bw");
#endif
  add(isa.empty(), "x86-64 baseline (sse2)");
  out.emplace_back("built_for_isa", isa);
  out.emplace_back("simdjson_kernel", SIMDJSON_STRINGIFY(SIMDJSON_BUILTIN_IMPLEMENTATION));
  out.emplace_back("simdjson_dom_kernel", simdjson::get_active_implementation()->name());
  return out;
}

#endif
