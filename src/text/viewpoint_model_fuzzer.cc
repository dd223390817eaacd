// Fuzz target for the viewpoint model file reader (classifier.h
// ViewpointModel::Parse), which `opinion eval` and `opinion analyze --model`
// run on a file the user names.
//
// The input is the file's text. Parse must return a model or an error
// Status; it must not throw, trip a sanitizer (a number cast beyond its
// type's range is undefined behaviour) or allocate without bound. For a model
// it accepts: the model scores a fixed set of buckets to finite numbers, one
// per class, and predicts one of its classes; its Serialize() text parses
// again to a model with the same classes, label field and features.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "text/classifier.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace talentflow::text;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  talentflow::StatusOr<ViewpointModel> model = ViewpointModel::Parse(input, "model.json");
  if (!model.ok()) return 0;
  const uint32_t buckets = uint32_t{1} << model->features().hash_bits;
  SparseVector x;
  for (uint32_t b : {0u, 1u, 3u, 255u, buckets - 1}) {
    if (x.index.empty() || b > x.index.back()) {
      x.index.push_back(b);
      x.value.push_back(0.5f);
    }
  }
  const std::vector<double> scores = model->Scores(x);
  if (scores.size() != model->classes().size()) __builtin_trap();
  for (double s : scores) {
    if (!std::isfinite(s)) __builtin_trap();
  }
  const std::string& predicted = model->Predict(x);
  bool known = false;
  for (const std::string& c : model->classes()) known = known || c == predicted;
  if (!known) __builtin_trap();

  talentflow::StatusOr<ViewpointModel> again =
      ViewpointModel::Parse(model->Serialize(), "again.json");
  if (!again.ok()) __builtin_trap();
  const FeatureOptions& f = model->features();
  const FeatureOptions& g = again->features();
  if (again->classes() != model->classes() || again->label_field() != model->label_field() ||
      f.hash_bits != g.hash_bits || f.char_min != g.char_min || f.char_max != g.char_max ||
      f.word_max != g.word_max || f.topic_features != g.topic_features)
    __builtin_trap();
  return 0;
}
