/**
 * Tiling and claims: cores cover every pixel exactly once and align to label chunks; ownership by
 * anchor, ids from the anchor, truncation count, the smaller-id rule for doubly claimed pixels,
 * and the claims file round trip.
 */
import assert from "node:assert/strict";
import {
  intersect,
  neighbourhood,
  planTiles,
  tileGeometry,
} from "../../../../core/steps/segment/tile_grid.ts";
import {
  claimsFromResult,
  decodeClaims,
  encodeClaims,
} from "../../../../core/steps/segment/tile_claims.ts";
import { applyClaims } from "../../../../core/steps/segment/core_assembly.ts";

Deno.test("tile geometry rounds to whole chunks and cores cover each pixel once", () => {
  assert.deepEqual(tileGeometry(2000, 1024), { tileSize: 2048, chunk: 1024 });
  assert.deepEqual(tileGeometry(512, 1024), { tileSize: 512, chunk: 512 });
  assert.throws(() => tileGeometry(3.5, 1024), /Tile size/);
  const grid = planTiles(1000, 700, 256, 300, 256);
  assert.equal(grid.reach, 2);
  const cover = new Uint8Array(1000 * 700);
  for (const t of grid.tiles) {
    for (let y = t.core.y; y < t.core.y + t.core.height; y++) {
      for (let x = t.core.x; x < t.core.x + t.core.width; x++) cover[y * 700 + x]++;
    }
    assert.ok(t.outer.y >= 0 && t.outer.y + t.outer.height <= 1000);
    // every tile whose outer window touches this core is in its neighbourhood
    const near = new Set(neighbourhood(grid, t).map((n) => n.key));
    for (const o of grid.tiles) {
      if (intersect(o.outer, t.core) !== null) assert.ok(near.has(o.key), `${o.key}→${t.key}`);
    }
  }
  assert.ok(cover.every((c) => c === 1));
});

Deno.test("claims keep owned cells with anchor ids; smaller id wins a shared pixel", () => {
  const grid = planTiles(20, 20, 10, 4, 10);
  const tile = grid.tiles[1]; // core x 10..19, outer x 6..19, y 0..13
  const { height: h, width: w } = tile.outer;
  const labels = new Uint32Array(h * w);
  labels[0] = 1; // object 1: anchor in the halo (x 6) → not owned
  labels[1 * w + 5] = 2; // object 2: anchor (1, 11) in the core
  labels[13 * w + 6] = 2; // …and reaching the bottom outer edge (row 13 < image 20): truncated
  const result = {
    masks: [{
      name: "nucleus",
      labels,
      objects: [
        { label: 1, anchorY: 0, anchorX: 6, area: 1 },
        { label: 2, anchorY: 1, anchorX: 11, area: 2 },
      ],
    }],
  };
  const claims = claimsFromResult(result, tile, ["nucleus"], { height: 20, width: 20 });
  assert.equal(claims.owned, 1);
  assert.equal(claims.truncated, 1);
  assert.equal(claims.ids[1], 0);
  assert.equal(claims.ids[2], 1 * 20 + 11 + 1);
  const back = decodeClaims(encodeClaims(claims), "mem")!;
  assert.deepEqual([...back.ids], [...claims.ids]);
  assert.deepEqual(back.labels[0], labels);
  // a second tile claiming the pixel (1, 11) with a larger id loses, a smaller one wins
  const out = [new Float64Array(tile.core.height * tile.core.width)];
  const other = { ...back, ids: new Float64Array([0, 0, 999]) };
  applyClaims(out, tile.core, other);
  applyClaims(out, tile.core, back);
  assert.equal(out[0][1 * 10 + 1], 32);
  const smaller = { ...back, ids: new Float64Array([0, 0, 5]) };
  applyClaims(out, tile.core, smaller);
  assert.equal(out[0][1 * 10 + 1], 5);
  // stored in parts along the cores: each core decodes only the part over it
  const parts = neighbourhood(grid, tile).map((n) => intersect(tile.outer, n.core)!);
  assert.equal(parts.length, 4); // cores (0,0) (0,1) (1,0) (1,1) of the 2 × 2 grid
  const bytes = encodeClaims(claims, parts);
  const own = decodeClaims(bytes, "mem", tile.core)!;
  assert.deepEqual(own.outer, { y: 0, x: 10, height: 10, width: 10 });
  assert.equal(own.labels[0][1 * 10 + 1], 2); // (1, 11)
  const left = decodeClaims(bytes, "mem", grid.tiles[0].core)!; // core y 0..9, x 0..9
  assert.deepEqual(left.outer, { y: 0, x: 6, height: 10, width: 4 });
  assert.equal(left.labels[0][0], 1); // (0, 6)
  const below = decodeClaims(bytes, "mem", grid.tiles[3].core)!; // core y 10..19, x 10..19
  assert.deepEqual(below.outer, { y: 10, x: 10, height: 4, width: 10 });
  assert.equal(below.labels[0][3 * 10 + 2], 2); // (13, 12)
  assert.deepEqual([...below.ids], [...claims.ids]);
  assert.equal(decodeClaims(bytes, "mem", { y: 15, x: 15, height: 5, width: 5 }), null);
  // a label without an object entry is a plugin bug, named as such
  labels[2] = 7;
  assert.throws(
    () => claimsFromResult(result, tile, ["nucleus"], { height: 20, width: 20 }),
    /label 7 .*no object entry/,
  );
  assert.throws(
    () => claimsFromResult(result, tile, ["cytosol"], { height: 20, width: 20 }),
    /no mask named "cytosol"/,
  );
});

Deno.test("claims parts decode to exactly their window of the planes, also into reused buffers", () => {
  const grid = planTiles(90, 70, 32, 8, 32);
  const tile = grid.tiles[4]; // an inner tile: its outer window overlaps nine cores
  const { height: h, width: w } = tile.outer;
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  // piecewise-constant labels (runs crossing rows) with isolated single pixels
  const planes = [0, 1].map(() => {
    const plane = new Uint32Array(h * w);
    for (let i = 0, l = 0; i < plane.length; i++) {
      if (random() < 0.08) l = random() < 0.3 ? 0 : 1 + Math.floor(random() * 40);
      plane[i] = random() < 0.01 ? 41 : l;
    }
    return plane;
  });
  const ids = new Float64Array(42).map((_, l) => l === 0 ? 0 : 1000 + l);
  const claims = {
    outer: tile.outer,
    masks: ["nucleus", "cytosol"],
    labels: planes,
    ids,
    owned: 41,
    truncated: 0,
  };
  const parts = neighbourhood(grid, tile).map((n) => intersect(tile.outer, n.core)!);
  assert.equal(parts.length, 9);
  const bytes = encodeClaims(claims, parts);
  const into = [new Uint32Array(32 * 32).fill(99), new Uint32Array(32 * 32).fill(99)];
  for (const part of parts) {
    for (const buffers of [undefined, into]) {
      const back = decodeClaims(bytes, "mem", part, buffers)!;
      assert.deepEqual(back.outer, part);
      for (let m = 0; m < 2; m++) {
        const expected: number[] = [];
        for (let y = part.y; y < part.y + part.height; y++) {
          for (let x = part.x; x < part.x + part.width; x++) {
            expected.push(planes[m][(y - tile.outer.y) * w + x - tile.outer.x]);
          }
        }
        assert.deepEqual([...back.labels[m]], expected, `part ${JSON.stringify(part)} mask ${m}`);
        if (buffers) assert.equal(back.labels[m].buffer, into[m].buffer);
      }
    }
  }
  const damaged = bytes.slice(0, bytes.length - 9);
  assert.throws(
    () => decodeClaims(damaged, "tiles/4.claims", parts[8]),
    /tiles\/4\.claims.*damaged/,
  );
});
