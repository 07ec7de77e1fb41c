/*
 * c-threshold-segmentation: the segmentation world in plain C, same method as the first-party
 * AssemblyScript threshold-segmentation (global Otsu from the host's statistics or a fixed
 * threshold; 8-connected labelling numbered in raster order; anchor = first pixel).
 */
#define SCP_DESCRIBE_JSON \
  "{\"id\":\"c-threshold-segmentation\",\"version\":\"0.1.0\",\"world\":\"segmentation\"," \
  "\"wit\":\"scportrait:plugin@0.1.0\"}"
#include "plugin_abi.h"

/* Finds "key" in the params JSON object and returns a pointer to its value, or NULL. */
static const char *find_key(const char *p, uint32_t n, const char *key) {
  size_t k = strlen(key);
  for (uint32_t i = 0; i + k + 2 <= n; i++) {
    if (p[i] == '"' && memcmp(p + i + 1, key, k) == 0 && p[i + 1 + k] == '"') {
      uint32_t j = i + k + 2;
      while (j < n && (p[j] == ' ' || p[j] == ':' || p[j] == '\t' || p[j] == '\n')) j++;
      return j < n ? p + j : NULL;
    }
  }
  return NULL;
}

/* Parses a non-negative decimal number (digits, optional fraction); sets *ok = 0 if none. */
static double parse_number(const char *p, int *ok) {
  double v = 0, scale = 1;
  int digits = 0;
  while (*p >= '0' && *p <= '9') { v = v * 10 + (*p++ - '0'); digits++; }
  if (*p == '.') {
    p++;
    while (*p >= '0' && *p <= '9') { scale /= 10; v += (*p++ - '0') * scale; digits++; }
  }
  *ok = digits > 0;
  return v;
}

static uint32_t find_root(uint32_t *parent, uint32_t x) {
  uint32_t r = x;
  while (parent[r] != r) r = parent[r];
  while (parent[x] != r) { uint32_t next = parent[x]; parent[x] = r; x = next; }
  return r;
}

static uint32_t unite(uint32_t *parent, uint32_t a, uint32_t b) {
  uint32_t ra = find_root(parent, a), rb = find_root(parent, b);
  if (ra < rb) { parent[rb] = ra; return ra; }
  parent[ra] = rb;
  return rb;
}

SCP_EXPORT(SCP_IFACE "#segment")
uint8_t *segment(uint8_t *args) {
  scp_tile tile; scp_region region; scp_channel_stats *stats; uint32_t nstats;
  const char *params; uint32_t plen;
  scp_segment_args(args, &tile, &region, &stats, &nstats, &params, &plen);
  uint8_t *ret = NULL;
  double threshold = -1;
  int fixed = 0;
  const char *m = find_key(params, plen, "method");
  if (m && strncmp(m, "\"fixed\"", 7) == 0) fixed = 1;
  else if (m && strncmp(m, "\"otsu\"", 6) != 0) {
    ret = scp_error(SCP_INVALID_PARAMS, "params.method must be \"otsu\" or \"fixed\"");
  }
  if (!ret && fixed) {
    const char *t = find_key(params, plen, "threshold");
    int ok = 1;
    threshold = t ? parse_number(t, &ok) : 0;
    if (!ok) ret = scp_error(SCP_INVALID_PARAMS, "params.threshold must be a number >= 0");
  } else if (!ret) {
    int found = 0;
    for (uint32_t i = 0; i < nstats; i++) {
      if (stats[i].channel == 0) { threshold = stats[i].otsu_threshold; found = 1; }
    }
    if (!found) ret = scp_error(SCP_INVALID_INPUT, "method otsu needs stats for channel 0");
  }
  uint32_t h = tile.height, w = tile.width, n = h * w;
  if (!ret && (tile.channels < 1 || (uint64_t)tile.len != (uint64_t)tile.channels * n)) {
    ret = scp_error(SCP_INVALID_INPUT, "tile data length does not match its shape");
  }
  if (!ret) {
    int t = threshold < 0 ? -1 : (threshold > 65535 ? 65535 : (int)threshold);
    uint32_t *labels = calloc(n ? n : 1, 4);
    uint32_t cap = 1024, next = 1;
    uint32_t *parent = malloc(cap * 4);
    parent[0] = 0;
    for (uint32_t y = 0; y < h; y++) {
      for (uint32_t x = 0; x < w; x++) {
        if ((int)tile.data[y * w + x] <= t) continue;
        uint32_t l = x > 0 ? labels[y * w + x - 1] : 0;
        if (y > 0) {
          uint32_t nb[3] = {x > 0 ? labels[(y - 1) * w + x - 1] : 0, labels[(y - 1) * w + x],
                            x + 1 < w ? labels[(y - 1) * w + x + 1] : 0};
          for (int k = 0; k < 3; k++) {
            if (nb[k]) l = l ? unite(parent, l, nb[k]) : nb[k];
          }
        }
        if (!l) {
          if (next == cap) { cap *= 2; parent = realloc(parent, cap * 4); }
          parent[next] = next;
          l = next++;
        }
        labels[y * w + x] = l;
      }
    }
    uint32_t *final = calloc(next, 4);
    scp_object *objects = malloc(sizeof(scp_object) * (next ? next : 1));
    uint32_t count = 0;
    for (uint32_t i = 0; i < n; i++) {
      if (!labels[i]) continue;
      uint32_t r = find_root(parent, labels[i]);
      if (!final[r]) {
        final[r] = ++count;
        objects[count - 1] = (scp_object){count, region.origin_y + i / w, region.origin_x + i % w, 0};
      }
      labels[i] = final[r];
      objects[final[r] - 1].area++;
    }
    free(parent);
    free(final);
    scp_mask mask = {"nucleus", 7, labels, n, objects, count};
    ret = scp_ok(&mask, 1);
  }
  scp_segment_args_free(args);
  return ret;
}
