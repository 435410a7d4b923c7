// The level matrix as C++17: the very same body as the C11 build.
#include "test_matrix.c"
