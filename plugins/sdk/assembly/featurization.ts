/**
 * The `featurization` world for AssemblyScript authors: a batch of single-cell stacks in, a
 * feature matrix out. A method is `(batch, channelNames, params) => FeatureMatrix | null`.
 * @module
 */

import { internalError, invalidInput, lowerError, takeError } from "./errors";
import { freeArg, freeDeferred, RawArray } from "./memory";
import { Params } from "./params";
import { liftStringListAndFree, lowerStringList } from "./strings";

/** A batch of single-cell image stacks (`featurization.cell-batch`). */
export class CellBatch {
  constructor(
    public count: i32,
    public channels: i32,
    public height: i32,
    public width: i32,
    public data: RawArray<f32>,
  ) {}

  /** Pixels per plane. */
  @inline
  get planeSize(): i32 {
    return this.height * this.width;
  }

  /** Address of plane `c` of cell `cell`. */
  @inline
  plane(cell: i32, c: i32): usize {
    const index = (<usize> cell * <usize> this.channels + <usize> c) * <usize> this.planeSize;
    return this.data.ptr + (index << 2);
  }
}

/** Features of a batch: row-major `count × names.length` values. */
export class FeatureMatrix {
  constructor(public names: string[], public values: RawArray<f32>) {}
}

/** Signature of a featurization method. */
export type FeaturizeFn = (
  batch: CellBatch,
  channelNames: string[],
  params: Params,
) => FeatureMatrix | null;

// result<feature-matrix, error>: tag @0, names list @4, values list @12 (or error @4)
const RET_AREA = memory.data(20, 8);

/** The core export `scportrait:plugin/featurization@0.1.0#featurize` (10 flat parameters). */
export function featurizeExport(
  count: i32,
  channels: i32,
  height: i32,
  width: i32,
  dataPtr: i32,
  dataLen: i32,
  namesPtr: i32,
  namesLen: i32,
  paramsPtr: i32,
  paramsLen: i32,
  method: FeaturizeFn,
): usize {
  const batch = new CellBatch(
    count,
    channels,
    height,
    width,
    new RawArray<f32>(<usize> dataPtr, dataLen, dataLen),
  );
  const names = liftStringListAndFree(<usize> namesPtr, namesLen);
  const params = Params.parse(<usize> paramsPtr, <usize> paramsLen);
  freeArg(<usize> paramsPtr);
  let result: FeatureMatrix | null = null;
  const want = <i64> count * <i64> channels * <i64> height * <i64> width;
  if (<i64> dataLen != want) {
    invalidInput(
      "batch has " + dataLen.toString() + " values but count x channels x height x width is " +
        want.toString(),
    );
  } else if (names.length != channels) {
    invalidInput(
      "channel-names has " + names.length.toString() + " names for " + channels.toString() +
        " channels",
    );
  } else if (params !== null) result = method(batch, names, params);
  freeArg(<usize> dataPtr);
  if (result === null) internalError("featurize returned no result and recorded no error");
  else if (result.values.length != count * result.names.length) {
    internalError(
      "featurize returned " + result.values.length.toString() + " values for " +
        count.toString() + " cells x " + result.names.length.toString() + " features",
    );
  }
  const e = takeError();
  if (e !== null) {
    if (result !== null) result.values.dispose();
    lowerError(RET_AREA, 4, e);
  } else {
    store<u8>(RET_AREA, 0);
    lowerStringList(RET_AREA + 4, result!.names);
    result!.values.lowerInto(RET_AREA + 12);
  }
  return RET_AREA;
}

/** The core export `cabi_post_…#featurize`. */
export function featurizePostExport(_ret: usize): void {
  freeDeferred();
}
