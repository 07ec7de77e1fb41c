/**
 * scPortrait's own golden cases (spec §7, tests/unit_tests/pipeline/test_pipeline_utils_segmentation.py).
 * @module
 */

/** `[[0,1,1],[0,2,1],[0,0,2]]`, the label image of the upstream filter tests. */
export const GOLDEN_LABELS: Uint32Array = new Uint32Array([0, 1, 1, 0, 2, 1, 0, 0, 2]);
