// The program's files: little-endian float32.

/* ---- files: little-endian float32 ---- */

static void read_floats(FILE *f, const char *path, float *dst, i64 n) {
  unsigned char q[4];
  i64 i;
  for (i = 0; i < n; i++) {
    unsigned u;
    if (fread(q, 1, 4, f) != 4) {
      fprintf(stderr, "%s: the file ends early\n", path);
      exit(2);
    }
    u = (unsigned)q[0] | (unsigned)q[1] << 8 | (unsigned)q[2] << 16 | (unsigned)q[3] << 24;
    memcpy(&dst[i], &u, 4);
  }
}

#if MEMSCHED_WITH_INT8
/* The int8 build's weights file: per layer its int8 weights, then its little-endian int32 biases. */
static void read_int8s(FILE *f, const char *path, elem *dst, i64 n) {
  if ((i64)fread(dst, 1, (size_t)n, f) != n) {
    fprintf(stderr, "%s: the file ends early\n", path);
    exit(2);
  }
}

static void read_int32s(FILE *f, const char *path, int *dst, i64 n) {
  unsigned char q[4];
  i64 i;
  for (i = 0; i < n; i++) {
    if (fread(q, 1, 4, f) != 4) {
      fprintf(stderr, "%s: the file ends early\n", path);
      exit(2);
    }
    dst[i] = (int)((unsigned)q[0] | (unsigned)q[1] << 8 | (unsigned)q[2] << 16 | (unsigned)q[3] << 24);
  }
}

#endif
static FILE *open_file(const char *path, const char *mode) {
  FILE *f = fopen(path, mode);
  if (!f) {
    fprintf(stderr, "%s: cannot open\n", path);
    exit(2);
  }
  return f;
}

static void expect_end(FILE *f, const char *path) {
  if (fgetc(f) != EOF) {
    fprintf(stderr, "%s: the file is longer than expected\n", path);
    exit(2);
  }
  fclose(f);
}

static void write_floats(FILE *f, const float *src, i64 n) {
  unsigned char q[4];
  i64 i;
  for (i = 0; i < n; i++) {
    unsigned u;
    memcpy(&u, &src[i], 4);
    q[0] = (unsigned char)u;
    q[1] = (unsigned char)(u >> 8);
    q[2] = (unsigned char)(u >> 16);
    q[3] = (unsigned char)(u >> 24);
    fwrite(q, 1, 4, f);
  }
}

static i64 tensor_elements(const Tensor *t) { return (i64)t->c * t->h * t->w; }
