/**
 * Channel roles: which input channels make up each plane the plugin receives. The manifest lists
 * the roles in tile order (`inputs.channels`, e.g. nucleus then cytosol); the config gives the
 * input channels of each role (`segmentation.<role>_channels`); several channels are combined by
 * a pixel-wise maximum (scPortrait's `combine_<role>_channels` MIP).
 * @module
 */
import { ScportraitError } from "../../errors.ts";
import type { ImageSource, PixelWindow } from "../../io/image_source.ts";
import type { TileU16 } from "../../host/segmentation_types.ts";
import type { PluginManifest } from "../../registry/manifest.ts";

/** One plane of the tile: a role and the input channels max-projected into it. */
export interface RolePlane {
  /** Role name from the manifest, e.g. `nucleus`. */
  role: string;
  /** Input channel indices (one, or several for a max projection). */
  channels: number[];
}

/**
 * The planes of the tile, in the manifest's role order. `roleChannels` maps role → input channels
 * (from the config's `<role>_channels`). Throws `CONFIG_INVALID` naming the key when a role has no
 * channel or a channel does not exist in the image.
 */
export function resolveRolePlanes(
  manifest: Pick<PluginManifest, "id" | "inputs">,
  roleChannels: Record<string, readonly number[] | undefined>,
  image: Pick<ImageSource, "channels" | "channelNames" | "description">,
): RolePlane[] {
  const roles = manifest.inputs.channels.map((c) => c.role);
  if (roles.length === 0) {
    throw new ScportraitError(
      "PLUGIN_INVALID",
      `Plugin ${manifest.id} declares no input channels (inputs.channels): it cannot segment.`,
    );
  }
  const names = image.channelNames.map((n, i) => `${i} (${n})`).join(", ");
  return roles.map((role) => {
    const key = `segmentation.${role}_channels`;
    const channels = roleChannels[role];
    if (channels === undefined || channels.length === 0) {
      throw new ScportraitError(
        "CONFIG_INVALID",
        `${key}: plugin ${manifest.id} needs a ${role} channel but the config gives none. Set ` +
          `${key} to the index of the ${role} channel of the input image (channels: ${names}).`,
      );
    }
    channels.forEach((c, i) => {
      if (!Number.isInteger(c) || c < 0 || c >= image.channels) {
        throw new ScportraitError(
          "CONFIG_INVALID",
          `${key}[${i}] is ${c}, but the input image ${image.description} has ` +
            `${image.channels} channel(s): ${names}. Use an index from 0 to ${image.channels - 1}.`,
        );
      }
    });
    return { role, channels: [...new Set(channels)] };
  });
}

/**
 * Reads one role plane over `window`: the channel itself or the pixel-wise max of several; into
 * `into` (as many samples as the window) when given and the source can.
 */
export async function readRolePlane(
  image: ImageSource,
  plane: RolePlane,
  window: PixelWindow,
  into?: Uint16Array,
): Promise<Uint16Array> {
  const reads = await Promise.all(
    plane.channels.map((c, k) => image.readWindow(c, window, k === 0 ? { into } : {})),
  );
  const out = reads[0];
  for (let k = 1; k < reads.length; k++) {
    const other = reads[k];
    for (let i = 0; i < out.length; i++) if (other[i] > out[i]) out[i] = other[i];
  }
  return out;
}

/**
 * Reads the tile the plugin receives over `window`: one plane per role, channel-major; into the
 * first bytes of `buffer` when it is large enough (a buffer a worker handed back), else fresh
 * memory.
 */
export async function readTile(
  image: ImageSource,
  planes: readonly RolePlane[],
  window: PixelWindow,
  buffer?: ArrayBuffer,
): Promise<TileU16> {
  const n = window.height * window.width;
  const data = buffer !== undefined && buffer.byteLength >= planes.length * n * 2
    ? new Uint16Array(buffer, 0, planes.length * n)
    : new Uint16Array(planes.length * n);
  await Promise.all(planes.map(async (p, i) => {
    const into = data.subarray(i * n, (i + 1) * n);
    const plane = await readRolePlane(image, p, window, into);
    if (plane !== into) into.set(plane);
  }));
  return { channels: planes.length, height: window.height, width: window.width, data };
}
