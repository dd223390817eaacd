#include "common/status.h"

#include <gtest/gtest.h>

namespace talentflow {
namespace {

StatusOr<int> Half(int x) {
  if (x % 2 != 0) return DataError("odd");
  return x / 2;
}

Status Quarter(int x, int* out) {
  TF_ASSIGN_OR_RETURN(int half, Half(x));
  TF_ASSIGN_OR_RETURN(*out, Half(half));
  return Status::Ok();
}

TEST(StatusTest, ContextIsPrepended) {
  Status s = DataError("month must be 01-12").WithContext("enddate").WithContext("a.csv line 3");
  EXPECT_EQ(s.message(), "a.csv line 3: enddate: month must be 01-12");
  EXPECT_EQ(s.ToString(), "data error: a.csv line 3: enddate: month must be 01-12");
  EXPECT_TRUE(Status::Ok().WithContext("x").ok());
}

TEST(StatusTest, MacrosPropagate) {
  int out = 0;
  EXPECT_TRUE(Quarter(8, &out).ok());
  EXPECT_EQ(out, 2);
  Status s = Quarter(6, &out);
  EXPECT_EQ(s.code(), StatusCode::kDataError);
}

}  // namespace
}  // namespace talentflow
