/* testutil.h: what every cmocka unit test includes. */
#ifndef VP_TESTUTIL_H
#define VP_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
// clang-format off
#include <cmocka.h>
// clang-format on

#endif
