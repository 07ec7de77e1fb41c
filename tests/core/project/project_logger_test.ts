/** ProjectLogger: scPortrait's `[dd/mm/YYYY HH:MM:SS] msg \n` lines, checked against Python strftime. */
import assert from "node:assert/strict";
import { logLines, logTimestamp, ProjectLogger } from "../../../core/project/project_logger.ts";

/** scPortrait's line format (Logable.log): timestamp, message, a space, newline. */
const LINE = /^\[(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})\] (.*) $/;

Deno.test("logTimestamp equals Python strftime('[%d/%m/%Y %H:%M:%S] ')", async () => {
  const dates = [new Date(2024, 0, 5, 7, 8, 9), new Date(1999, 11, 31, 23, 59, 59)];
  const args = dates.map((d) =>
    `${d.getFullYear()},${d.getMonth() + 1},${d.getDate()},${d.getHours()},${d.getMinutes()},` +
    `${d.getSeconds()}`
  );
  const script = "import sys, datetime\nfor a in sys.argv[1:]:\n" +
    "    print('[' + datetime.datetime(*map(int, a.split(','))).strftime('%d/%m/%Y %H:%M:%S')" +
    " + '] ')";
  const out = await new Deno.Command("/usr/bin/python3", { args: ["-c", script, ...args] })
    .output();
  assert.equal(out.code, 0);
  const expected = new TextDecoder().decode(out.stdout).split("\n").slice(0, 2);
  assert.deepEqual(dates.map((d) => logTimestamp(d)), expected);
});

Deno.test("ProjectLogger appends lines in scPortrait's format, splitting like Logable.log", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const logger = new ProjectLogger(`${dir}/segmentation/processing.log`);
    await Promise.all([
      logger.log("first\nsecond"),
      logger.log(["third", 4]),
      logger.log({ channels: 3, mode: "wga" }),
    ]);
    const text = await Deno.readTextFile(`${dir}/segmentation/processing.log`);
    assert.ok(text.endsWith(" \n"));
    const lines = text.split("\n").slice(0, -1);
    assert.equal(lines.length, 6);
    const messages = lines.map((line) => {
      const m = LINE.exec(line);
      assert.ok(m, `line does not match scPortrait's format: ${JSON.stringify(line)}`);
      return m[7];
    });
    assert.deepEqual(messages, ["first", "second", "third", "4", "channels: 3", "mode: wga"]);
    assert.deepEqual(logLines(new Error("boom")), ["Error: boom"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
