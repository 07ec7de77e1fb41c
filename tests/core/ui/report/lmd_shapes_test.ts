/**
 * LMD XML reading: the py-lmd quickstart file (spec §1.4a) parses to its calibration points and
 * shapes; xmlToPixels undoes scPortrait's T = [[0,-1],[1,0]] and a 180° rotation.
 * @module
 */
import assert from "node:assert/strict";
import { parseLmdXml, xmlToPixels } from "../../../../core/ui/report/lmd_shapes.ts";

const QUICKSTART = `<?xml version='1.0' encoding='UTF-8'?>
<ImageData>
  <GlobalCoordinates>1</GlobalCoordinates>
  <X_CalibrationPoint_1>0</X_CalibrationPoint_1>
  <Y_CalibrationPoint_1>0</Y_CalibrationPoint_1>
  <X_CalibrationPoint_2>0</X_CalibrationPoint_2>
  <Y_CalibrationPoint_2>10000</Y_CalibrationPoint_2>
  <X_CalibrationPoint_3>5000</X_CalibrationPoint_3>
  <Y_CalibrationPoint_3>5000</Y_CalibrationPoint_3>
  <ShapeCount>2</ShapeCount>
  <Shape_1>
    <PointCount>5</PointCount>
    <X_1>1000</X_1><Y_1>1000</Y_1><X_2>4000</X_2><Y_2>1000</Y_2><X_3>4000</X_3><Y_3>4000</Y_3>
    <X_4>1000</X_4><Y_4>4000</Y_4><X_5>1000</X_5><Y_5>1000</Y_5>
  </Shape_1>
  <Shape_2>
    <PointCount>4</PointCount>
    <CapID>A1</CapID>
    <X_1>1000</X_1><Y_1>7000</Y_1><X_2>4000</X_2><Y_2>7000</Y_2><X_3>4000</X_3><Y_3>10000</Y_3>
    <X_4>1000</X_4><Y_4>7000</Y_4>
  </Shape_2>
</ImageData>
`;

Deno.test("parseLmdXml reads py-lmd's quickstart file", () => {
  const f = parseLmdXml(QUICKSTART, "q.xml");
  assert.deepEqual(f.calibration, [[0, 0], [0, 10000], [5000, 5000]]);
  assert.equal(f.shapes.length, 2);
  assert.deepEqual(f.shapes[0].points[2], [4000, 4000]);
  assert.equal(f.shapes[0].well, null);
  assert.equal(f.shapes[1].well, "A1");
  assert.deepEqual(f.shapes[1].points, [[1000, 7000], [4000, 7000], [4000, 10000], [1000, 7000]]);
  assert.throws(() => parseLmdXml("<Other/>", "bad.xml"), /bad\.xml has no <ImageData>/);
});

Deno.test("xmlToPixels undoes orientation transform and scale", () => {
  const scp = xmlToPixels([[0, -1], [1, 0]], 100)!;
  assert.deepEqual(scp([1310, -1150]), [11.5, 13.1]); // x = col·100, y = −row·100
  const rot = xmlToPixels([[-1, 0], [0, -1]], 10)!;
  assert.deepEqual(rot([-20, -30]), [2, 3]);
  assert.equal(xmlToPixels([[1, 1], [1, 1]], 100), null);
  assert.equal(xmlToPixels([[1, 0], [0, 1]], 0), null);
});
