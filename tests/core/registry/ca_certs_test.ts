import assert from "node:assert/strict";
import { join } from "node:path";
import { loadCaCerts, parseCaCertPem } from "../../../core/registry/ca_certs.ts";
import { openRegistry } from "../../../core/registry/registry_source.ts";
import { makeTestTls, serveFolderHttps } from "./tls_fixture.ts";

Deno.test("parseCaCertPem keeps every certificate block and refuses text without one", () => {
  const one = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
  assert.equal(parseCaCertPem(`junk\n${one}\n${one}\n`, "bundle.pem").length, 2);
  assert.throws(
    () => parseCaCertPem("-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n", "k.pem"),
    (e: Error & { code?: string }) =>
      e.code === "REGISTRY_ERROR" && /k\.pem holds no PEM certificate/.test(e.message),
  );
});

Deno.test("an https registry with an internal CA: refused by default, read with --ca-cert", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ca_certs_test_" });
  const tls = await makeTestTls(dir);
  await Deno.writeTextFile(join(dir, "index.json"), '{"hello": 1}');
  const server = serveFolderHttps(dir, tls);
  const url = `https://127.0.0.1:${server.addr.port}/`;
  const plain = openRegistry(url);
  const trusting = openRegistry(url, { caCerts: await loadCaCerts([tls.caPath]) });
  try {
    await assert.rejects(plain.read("index.json"), /UnknownIssuer.*--ca-cert <pem>/s);
    assert.equal(new TextDecoder().decode(await trusting.read("index.json")), '{"hello": 1}');
    assert.equal(await trusting.readOptional("missing.json"), undefined);
    // Plain http:// is refused unless it is loopback; the CA does not change that.
    assert.throws(() => openRegistry("http://example.org/reg/", { caCerts: [tls.caPem] }));
    await assert.rejects(loadCaCerts([join(dir, "nope.pem")]), /Cannot read the CA certificate/);
  } finally {
    plain.close();
    trusting.close();
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
