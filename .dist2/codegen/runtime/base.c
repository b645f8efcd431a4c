// Vector types where the compiler has them, failing, allocation, and the report of a conflict.

/* GNU C vector types (GCC, Clang) where available; plain C otherwise or with -DMEMSCHED_NO_VECTORS (and
   in the int8 build, whose kernels are plain C). */
#if MEMSCHED_WITH_INT8
#define VECTORS 0
#else
#if defined(__GNUC__) && !defined(MEMSCHED_NO_VECTORS)
#define VECTORS 1
typedef float v4 __attribute__((vector_size(16)));
typedef float v4u __attribute__((vector_size(16), aligned(4), may_alias)); /* any float address */
typedef int v4i __attribute__((vector_size(16)));
typedef int v4iu __attribute__((vector_size(16), aligned(4), may_alias));
#define V4_LOAD(p) (*(const v4u *)(p))
#define V4_STORE(p, v) (*(v4u *)(p) = (v))
#else
#define VECTORS 0
#endif
#endif

#if !MEMSCHED_WITH_RELEASE
static i64 conflicts;
#endif

static void fail(const char *what) {
  fprintf(stderr, "%s\n", what);
  exit(3);
}

static void *xcalloc(i64 n, i64 size) {
  void *p = calloc((size_t)(n > 0 ? n : 1), (size_t)size);
  if (!p) fail("out of memory");
  return p;
}

static void *xgrow(void *p, i64 *cap, i64 size) {
  *cap = *cap < 16 ? 16 : *cap * 2;
  p = realloc(p, (size_t)(*cap * size));
  if (!p) fail("out of memory");
  return p;
}

#if !MEMSCHED_WITH_RELEASE
static void conflict(const Seg *s, int bi, int c, int y, int x) {
  if (conflicts++ == 0)
    fprintf(stderr, "scratchpad conflict: segment %d, buffer %d does not hold element [%d, %d, %d] where it is read\n",
            s->index, bi, c, y, x);
}
#endif
