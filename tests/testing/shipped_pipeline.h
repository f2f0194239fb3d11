// The shipped models and lexicons (models/, data/) through one Pipeline,
// loaded once per test binary and shared by every suite that analyses the
// sentences we write. Read-only after loading, like any Pipeline.
#ifndef SITREP_TESTS_TESTING_SHIPPED_PIPELINE_H_
#define SITREP_TESTS_TESTING_SHIPPED_PIPELINE_H_

#include <memory>
#include <string>

#include "sitrep/pipeline.h"

namespace sitrep {

struct ShippedPipelineLoad {
  std::unique_ptr<Pipeline> pipeline;  // null when loading failed
  Status status;                       // why it failed
};

// The shared pipeline and its loading status; loaded on first use and kept
// until the binary exits.
inline const ShippedPipelineLoad& ShippedPipeline() {
  static const ShippedPipelineLoad* load = [] {
    auto* l = new ShippedPipelineLoad;
    PipelineOptions o;
    o.models_dir = std::string(SITREP_SOURCE_DIR) + "/models";
    auto p = Pipeline::Create(o);
    if (p.ok()) l->pipeline = std::move(p.value());
    else l->status = p.status();
    return l;
  }();
  return *load;
}

}  // namespace sitrep

#endif  // SITREP_TESTS_TESTING_SHIPPED_PIPELINE_H_
