/*
 * plugin_abi.h: canonical-ABI glue for the segmentation world of scportrait:plugin@0.1.0, in C.
 *
 * There is no wit-bindgen offline, so the layout is written out here once (see the files in wit/):
 *  - The host places arguments in linear memory through cabi_realloc; they belong to the plugin,
 *    which frees them (scp_segment_args_free).
 *  - segment has 17 flat parameters (> 16), so the host passes ONE pointer to the argument tuple:
 *      tile-u16 {channels @0, height @4, width @8, data ptr @12, len @16}
 *      tile-region {origin-y @20, origin-x @24, image-height @28, image-width @32,
 *                   core-y @36, core-x @40, core-height @44, core-width @48}
 *      list<channel-stats> ptr @52, len @56; params string ptr @60, len @64   (68 bytes)
 *    channel-stats (48 bytes, align 8): channel u32 @0, min f64 @8, max @16, mean @24,
 *      otsu-threshold @32, quantiles list @40 (ptr, len; quantile = {probability f64, value f64}).
 *  - Results go through a return area: result tag u8 @0, payload @4:
 *      ok:  list<mask-result> (ptr @4, len @8); mask-result (24 bytes) = name string @0,
 *           labels list<u32> @8, objects list<object-info> @16;
 *           object-info (16 bytes) = label, anchor-y, anchor-x, area (u32 each)
 *      err: error variant: case u8 @4 (0 invalid-params, 1 invalid-input, 2 internal),
 *           message string ptr @8, len @12
 *  - Result buffers are freed in cabi_post_* after the host has copied them out.
 */
#ifndef SCPORTRAIT_PLUGIN_ABI_H
#define SCPORTRAIT_PLUGIN_ABI_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SCP_IFACE "scportrait:plugin/segmentation@0.1.0"
#define SCP_EXPORT(name) __attribute__((export_name(name)))

enum scp_error_kind { SCP_INVALID_PARAMS = 0, SCP_INVALID_INPUT = 1, SCP_INTERNAL = 2 };

typedef struct { uint32_t channels, height, width; const uint16_t *data; uint32_t len; } scp_tile;
typedef struct {
  uint32_t origin_y, origin_x, image_height, image_width;
  uint32_t core_y, core_x, core_height, core_width;
} scp_region;
typedef struct { double probability, value; } scp_quantile;
typedef struct {
  uint32_t channel; uint32_t _pad;
  double min, max, mean, otsu_threshold;
  scp_quantile *quantiles; uint32_t quantiles_len;
} scp_channel_stats;
typedef struct { uint32_t label, anchor_y, anchor_x, area; } scp_object;
typedef struct {
  const char *name; uint32_t name_len;
  uint32_t *labels; uint32_t labels_len;
  scp_object *objects; uint32_t objects_len;
} scp_mask;

/* Canonical-ABI allocator; every alignment of the contract (<= 8) is met by malloc. */
SCP_EXPORT("cabi_realloc")
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
  (void)old_size; (void)align;
  if (new_size == 0) new_size = 1;
  return old ? realloc(old, new_size) : malloc(new_size);
}

static uint8_t scp_ret_area[16] __attribute__((aligned(8)));
static void *scp_owned[64];
static int scp_owned_len = 0;

/* Registers a result buffer to be freed by the post-return function. */
static void scp_free_after_return(void *p) {
  if (p && scp_owned_len < 64) scp_owned[scp_owned_len++] = p;
}

static void scp_free_all(void) {
  for (int i = 0; i < scp_owned_len; i++) free(scp_owned[i]);
  scp_owned_len = 0;
}

/* Fills the return area with err(kind, message) and returns it. */
static uint8_t *scp_error(enum scp_error_kind kind, const char *message) {
  size_t n = strlen(message);
  char *copy = malloc(n ? n : 1);
  memcpy(copy, message, n);
  scp_free_after_return(copy);
  scp_ret_area[0] = 1;
  scp_ret_area[4] = (uint8_t)kind;
  *(uint32_t *)(scp_ret_area + 8) = (uint32_t)(uintptr_t)copy;
  *(uint32_t *)(scp_ret_area + 12) = (uint32_t)n;
  return scp_ret_area;
}

/* Fills the return area with ok(masks) and returns it; takes ownership of all buffers. */
static uint8_t *scp_ok(scp_mask *masks, uint32_t n) {
  uint32_t *out = malloc(24 * (n ? n : 1));
  for (uint32_t i = 0; i < n; i++) {
    uint32_t *m = out + 6 * i;
    m[0] = (uint32_t)(uintptr_t)masks[i].name; m[1] = masks[i].name_len; /* static string */
    m[2] = (uint32_t)(uintptr_t)masks[i].labels; m[3] = masks[i].labels_len;
    m[4] = (uint32_t)(uintptr_t)masks[i].objects; m[5] = masks[i].objects_len;
    scp_free_after_return(masks[i].labels);
    scp_free_after_return(masks[i].objects);
  }
  scp_free_after_return(out);
  scp_ret_area[0] = 0;
  *(uint32_t *)(scp_ret_area + 4) = (uint32_t)(uintptr_t)out;
  *(uint32_t *)(scp_ret_area + 8) = n;
  return scp_ret_area;
}

/* Reads the argument tuple of segment. */
static void scp_segment_args(const uint8_t *a, scp_tile *tile, scp_region *region,
                             scp_channel_stats **stats, uint32_t *stats_len,
                             const char **params, uint32_t *params_len) {
  const uint32_t *w = (const uint32_t *)a;
  tile->channels = w[0]; tile->height = w[1]; tile->width = w[2];
  tile->data = (const uint16_t *)(uintptr_t)w[3]; tile->len = w[4];
  memcpy(region, a + 20, sizeof *region);
  *stats = (scp_channel_stats *)(uintptr_t)w[13]; *stats_len = w[14];
  *params = (const char *)(uintptr_t)w[15]; *params_len = w[16];
}

/* Frees every argument buffer (the plugin owns them). */
static void scp_segment_args_free(uint8_t *a) {
  const uint32_t *w = (const uint32_t *)a;
  scp_channel_stats *stats = (scp_channel_stats *)(uintptr_t)w[13];
  for (uint32_t i = 0; i < w[14]; i++) free(stats[i].quantiles);
  free(stats);
  free((void *)(uintptr_t)w[3]);
  free((void *)(uintptr_t)w[15]);
  free(a);
}

SCP_EXPORT("cabi_post_" SCP_IFACE "#segment")
void scp_segment_post(void *ret) { (void)ret; scp_free_all(); }

/* describe: the plugin defines SCP_DESCRIBE_JSON before including this header. */
SCP_EXPORT("describe")
uint8_t *scp_describe(void) {
  static const char json[] = SCP_DESCRIBE_JSON;
  *(uint32_t *)(scp_ret_area + 0) = (uint32_t)(uintptr_t)json;
  *(uint32_t *)(scp_ret_area + 4) = (uint32_t)(sizeof json - 1);
  return scp_ret_area;
}

SCP_EXPORT("cabi_post_describe")
void scp_describe_post(void *ret) { (void)ret; }

#endif
