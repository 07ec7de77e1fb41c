/**
 * Test fixture: a throwaway certificate authority and a server certificate for 127.0.0.1 /
 * localhost signed by it, made with the `openssl` command line (P-256 keys, valid one day), and
 * an HTTPS static file server on loopback serving a folder with them.
 * @module
 */
import { join } from "node:path";

/** PEM texts of a throwaway CA and a loopback server certificate it signed. */
export interface TestTls {
  /** The CA certificate (what a client passes as `--ca-cert`). */
  caPem: string;
  /** Path of the CA certificate file. */
  caPath: string;
  /** The server certificate (subjectAltName IP:127.0.0.1, DNS:localhost). */
  certPem: string;
  /** The server's PKCS#8 private key. */
  keyPem: string;
}

async function openssl(dir: string, args: string[]): Promise<void> {
  const out = await new Deno.Command("openssl", {
    args,
    cwd: dir,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (out.code !== 0) {
    throw new Error(`openssl ${args[0]} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/** Creates a CA and a server certificate for loopback in `dir` (which must exist). */
export async function makeTestTls(dir: string): Promise<TestTls> {
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  await openssl(dir, [
    "req",
    "-x509",
    ...ec,
    ...["-keyout", "ca.key", "-out", "ca.pem", "-days", "1"],
    ...["-subj", "/CN=scportrait test CA"],
    ...["-addext", "basicConstraints=critical,CA:TRUE"],
    ...["-addext", "keyUsage=critical,keyCertSign,cRLSign"],
  ]);
  await openssl(dir, [
    "req",
    ...ec,
    ...["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"],
  ]);
  await Deno.writeTextFile(
    join(dir, "server.ext"),
    "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n" +
      "extendedKeyUsage=serverAuth\n",
  );
  await openssl(dir, [
    "x509",
    "-req",
    ...["-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial"],
    ...["-out", "server.pem", "-days", "1", "-extfile", "server.ext"],
  ]);
  const read = (name: string) => Deno.readTextFile(join(dir, name));
  return {
    caPem: await read("ca.pem"),
    caPath: join(dir, "ca.pem"),
    certPem: await read("server.pem"),
    keyPem: await read("server.key"),
  };
}

/** Serves the files of `root` over HTTPS on 127.0.0.1 (a free port) with the test certificate. */
export function serveFolderHttps(root: string, tls: TestTls): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve(
    { hostname: "127.0.0.1", port: 0, cert: tls.certPem, key: tls.keyPem, onListen() {} },
    async (req) => {
      const path = decodeURIComponent(new URL(req.url).pathname).replace(/^\/+/, "");
      if (path.split("/").includes("..")) return new Response("bad path", { status: 400 });
      try {
        return new Response(await Deno.readFile(join(root, path)));
      } catch {
        return new Response("not found", { status: 404 });
      }
    },
  );
}
