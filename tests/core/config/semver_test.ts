import assert from "node:assert/strict";
// npm's own `semver` package is the reference implementation of the range semantics we follow.
import npmSemver from "semver";
import {
  compareVersions,
  formatVersion,
  isValidRange,
  isValidVersion,
  maxSatisfying,
  parseRange,
  parseVersion,
  satisfies,
} from "../../../core/config/semver.ts";
import { isScportraitError } from "../../../core/errors.ts";

Deno.test("semver: precedence example from the SemVer 2.0.0 spec, item 11", () => {
  const ordered = [
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-alpha.beta",
    "1.0.0-beta",
    "1.0.0-beta.2",
    "1.0.0-beta.11",
    "1.0.0-rc.1",
    "1.0.0",
    "2.0.0",
    "2.1.0",
    "2.1.1",
  ];
  for (let i = 0; i + 1 < ordered.length; i++) {
    assert.equal(compareVersions(ordered[i], ordered[i + 1]), -1, `${ordered[i]} < next`);
    assert.equal(compareVersions(ordered[i + 1], ordered[i]), 1);
  }
  assert.equal(compareVersions("1.0.0+build.1", "1.0.0+build.2"), 0, "build metadata ignored");
});

Deno.test("semver: strict parsing rejects what SemVer 2.0.0 forbids", () => {
  const v = parseVersion("1.2.3-beta.11+exp.sha.5114f85");
  assert.deepEqual(v.prerelease, ["beta", 11]);
  assert.deepEqual(v.build, ["exp", "sha", "5114f85"]);
  assert.equal(formatVersion(v), "1.2.3-beta.11+exp.sha.5114f85");
  for (const bad of ["1.2", "01.2.3", "1.2.3-01", "1.2.3-", "v1.2.3x", "1.2.3.4", ""]) {
    assert.equal(isValidVersion(bad), false, bad);
  }
  assert.throws(() => parseVersion("1.2"), (e) => isScportraitError(e, "SEMVER_INVALID"));
});

Deno.test("semver: caret and tilde cases from the npm semver README", () => {
  assert.equal(satisfies("0.1.5", "^0.1.0"), true);
  assert.equal(satisfies("0.2.0", "^0.1.0"), false, "^0.1.0 does not match 0.2.0");
  assert.equal(satisfies("0.0.4", "^0.0.3"), false);
  assert.equal(satisfies("1.9.9", "^1.2.3"), true);
  assert.equal(satisfies("2.0.0-alpha", "^1.2.3"), false);
  assert.equal(satisfies("1.2.3-beta.4", "^1.2.3-beta.2"), true);
  assert.equal(satisfies("1.2.4-beta.2", "^1.2.3-beta.2"), false, "prerelease on other tuple");
  assert.equal(satisfies("1.2.9", "~1.2.3"), true);
  assert.equal(satisfies("1.3.0", "~1.2.3"), false);
  assert.equal(satisfies("1.9.0", "~1"), true);
  assert.equal(satisfies("1.2.3", "1.2.3 - 2.3.4"), true);
  assert.equal(satisfies("2.3.9", "1.2 - 2.3"), true);
  assert.equal(satisfies("2.4.0", "1.2 - 2.3"), false);
  assert.equal(satisfies("3.0.0", "1.x || >=2.5.0 <3"), false);
  assert.equal(satisfies("2.6.0", "1.x || >=2.5.0 <3"), true);
});

Deno.test("semver: matrix agrees with npm's semver package", () => {
  const ranges = [
    "*",
    "",
    "1",
    "1.x",
    "1.2.x",
    "1.2.*",
    "=1.2.3",
    "1.2.3",
    "^0.0.3",
    "^0.0",
    "^0.x",
    "^0.1.0",
    "^1.2.3",
    "^1.2.x",
    "^1.2.3-beta.2",
    "~0.1",
    "~1.2",
    "~1.2.3",
    "~1.2.3-beta.2",
    ">1",
    ">1.2",
    ">=1.2",
    "<1.2",
    "<=1.2",
    "> 1.2.3",
    ">= 1.0.0 < 2",
    "<*",
    ">=*",
    "1.2.3 - 2.3.4",
    "1.2 - 2.3.4",
    "1.2.3 - 2",
    "1.x || >=2.5.0 <3",
    "<1.0.0-rc.1 || >=2.0.0-beta <2.0.0",
  ];
  const versions = [
    "0.0.0",
    "0.0.3",
    "0.0.4",
    "0.1.0",
    "0.1.9",
    "0.2.0",
    "1.0.0-rc.0",
    "1.0.0",
    "1.2.0",
    "1.2.2",
    "1.2.3-alpha",
    "1.2.3-beta.2",
    "1.2.3-beta.10",
    "1.2.3",
    "1.2.4-beta.1",
    "1.2.9",
    "1.3.0",
    "1.9.9",
    "2.0.0-beta.1",
    "2.0.0",
    "2.3.4",
    "2.3.5",
    "2.5.0",
    "2.9.9",
    "3.0.0",
  ];
  for (const r of ranges) {
    assert.equal(isValidRange(r), npmSemver.validRange(r) !== null, `valid ${r}`);
    for (const v of versions) {
      assert.equal(satisfies(v, r), npmSemver.satisfies(v, r), `${v} in "${r}"`);
    }
    assert.equal(maxSatisfying(versions, r) ?? null, npmSemver.maxSatisfying(versions, r), r);
  }
});

Deno.test("semver: malformed ranges are rejected with SEMVER_INVALID", () => {
  for (const bad of ["^", "^0.1.0.1", ">=abc", "1.2.3-", "~1.2-beta", "1.2.3 - ", "^a.b"]) {
    assert.equal(isValidRange(bad), false, bad);
    assert.equal(npmSemver.validRange(bad), null, `npm also rejects ${bad}`);
  }
  assert.throws(
    () => parseRange("^0.1.0.1"),
    (e) => isScportraitError(e, "SEMVER_INVALID") && e.message.includes('"^0.1.0.1"'),
  );
});
