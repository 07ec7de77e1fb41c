/**
 * The WIT contract: one package, one file per interface, `///` docs and `@since` gates on every
 * item, no bare-string errors, and every world wraps into a component that imports nothing.
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  componentEmbed,
  componentNew,
  componentWit,
} from "@bytecodealliance/jco-transpile/wasm-tools";
import { readWitSource, WORLDS } from "../../../plugins/toolchain/wit_source.ts";

const WIT = join(new URL("../../../", import.meta.url).pathname, "wit");

Deno.test("every interface, world, record, variant and func has /// docs and @since", () => {
  for (
    const name of [...Deno.readDirSync(WIT)].map((e) => e.name).filter((n) => n.endsWith(".wit"))
  ) {
    const lines = Deno.readTextFileSync(join(WIT, name)).split("\n");
    lines.forEach((line, i) => {
      const item = line.match(
        /^\s*(interface|world|record|variant|enum|resource|export [a-z-]+: func|[a-z-]+: func)\b/,
      );
      if (!item) return;
      let j = i - 1;
      assert.match(lines[j] ?? "", /^\s*@since\(version = 0\.1\.0\)/, `${name}:${i + 1} @since`);
      while (j > 0 && /^\s*@/.test(lines[j])) j--;
      assert.match(lines[j] ?? "", /^\s*\/\/\//, `${name}:${i + 1} needs a /// doc: ${line}`);
    });
    assert.doesNotMatch(lines.join("\n"), /result<[^>]*,\s*string>/, `${name}: bare string error`);
  }
});

Deno.test("each world becomes a component with exports only", async () => {
  const source = readWitSource(WIT);
  for (const [kind, world] of Object.entries(WORLDS)) {
    const component = await componentNew(
      await componentEmbed({ dummy: true, witSource: source, world }),
    );
    const wit = await componentWit(component);
    assert.doesNotMatch(wit, /^\s*import\s/m, `${world} imports something:\n${wit}`);
    assert.match(wit, new RegExp(`export scportrait:plugin/${kind}@0\\.1\\.0;`));
    assert.match(wit, /export describe: func\(\) -> string;/);
  }
});
