/**
 * A compact binary encoding for the small values that go through a plugin worker's shared
 * mailbox (see `mailbox.ts`): jco's JS representation of WIT values (numbers, bigints, booleans,
 * strings, arrays, records/variants as plain objects, typed arrays) plus the protocol messages.
 * `node:v8` serialize costs ≈ 40 µs per message under Deno, more than the whole call budget;
 * this costs about a microsecond. Anything else (Map, Date, class instances, cycles, deeper than
 * 32 levels) is refused with {@link UnencodableError} and the caller falls back to `postMessage`.
 * @module
 */

const T_UNDEFINED = 0;
const T_NULL = 1;
const T_FALSE = 2;
const T_TRUE = 3;
const T_NUMBER = 4;
const T_BIGINT = 5;
const T_STRING = 6;
const T_ARRAY = 7;
const T_OBJECT = 8;
const T_TYPED = 9;
const T_ARRAY_BUFFER = 10;

const MAX_DEPTH = 32;
/** Strings up to this length are copied byte by byte when ASCII (TextEncoder/Decoder cost ~1 µs). */
const SHORT_STRING = 64;

type TypedCtor =
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Uint8ClampedArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor;

const TYPED: TypedCtor[] = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
];

/** The value cannot be encoded for the mailbox (the caller should use `postMessage`). */
export class UnencodableError extends Error {
  /** @param what what could not be encoded */
  constructor(what: string) {
    super(`mailbox cannot encode ${what}`);
    this.name = "UnencodableError";
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Encodes values into a reusable scratch buffer that grows up to a fixed limit. */
export class MailboxWriter {
  #bytes: Uint8Array;
  #view: DataView;
  #pos = 0;
  readonly #limit: number;

  /** @param limit largest encoding accepted, in bytes (larger values throw UnencodableError) */
  constructor(limit: number) {
    this.#limit = limit;
    this.#bytes = new Uint8Array(Math.min(limit, 4096));
    this.#view = new DataView(this.#bytes.buffer);
  }

  /** Encodes `value`; returns a view of the scratch buffer valid until the next call. */
  encode(value: unknown): Uint8Array {
    this.#pos = 0;
    this.#value(value, 0);
    return this.#bytes.subarray(0, this.#pos);
  }

  #reserve(n: number): void {
    const need = this.#pos + n;
    if (need <= this.#bytes.length) return;
    if (need > this.#limit) throw new UnencodableError(`more than ${this.#limit} bytes`);
    const grown = new Uint8Array(Math.min(this.#limit, Math.max(need, this.#bytes.length * 2)));
    grown.set(this.#bytes.subarray(0, this.#pos));
    this.#bytes = grown;
    this.#view = new DataView(grown.buffer);
  }

  #u8(v: number): void {
    this.#reserve(1);
    this.#bytes[this.#pos++] = v;
  }

  #u32(v: number): void {
    this.#reserve(4);
    this.#view.setUint32(this.#pos, v, true);
    this.#pos += 4;
  }

  #raw(bytes: Uint8Array): void {
    this.#u32(bytes.length);
    this.#reserve(bytes.length);
    this.#bytes.set(bytes, this.#pos);
    this.#pos += bytes.length;
  }

  #string(s: string): void {
    const n = s.length;
    if (n <= SHORT_STRING) {
      this.#reserve(4 + n);
      const at = this.#pos + 4;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        this.#bytes[at + i] = c;
      }
      if (i === n) {
        this.#view.setUint32(this.#pos, n, true);
        this.#pos = at + n;
        return;
      }
    }
    // At most 3 UTF-8 bytes per UTF-16 unit: encode in place when that worst case fits.
    const worst = 4 + n * 3;
    if (this.#pos + worst > this.#limit) return this.#raw(encoder.encode(s));
    this.#reserve(worst);
    const { written } = encoder.encodeInto(s, this.#bytes.subarray(this.#pos + 4));
    this.#view.setUint32(this.#pos, written, true);
    this.#pos += 4 + written;
  }

  #value(v: unknown, depth: number): void {
    if (depth > MAX_DEPTH) throw new UnencodableError(`values nested deeper than ${MAX_DEPTH}`);
    switch (typeof v) {
      case "undefined":
        return this.#u8(T_UNDEFINED);
      case "boolean":
        return this.#u8(v ? T_TRUE : T_FALSE);
      case "number":
        this.#u8(T_NUMBER);
        this.#reserve(8);
        this.#view.setFloat64(this.#pos, v, true);
        this.#pos += 8;
        return;
      case "bigint":
        this.#u8(T_BIGINT);
        return this.#string(v.toString());
      case "string":
        this.#u8(T_STRING);
        return this.#string(v);
      case "object":
        return this.#object(v, depth);
      default:
        throw new UnencodableError(`a ${typeof v}`);
    }
  }

  #object(v: object | null, depth: number): void {
    if (v === null) return this.#u8(T_NULL);
    if (Array.isArray(v)) {
      this.#u8(T_ARRAY);
      this.#u32(v.length);
      for (const item of v) this.#value(item, depth + 1);
      return;
    }
    if (ArrayBuffer.isView(v)) {
      const kind = TYPED.findIndex((ctor) => v.constructor === ctor);
      if (kind < 0) throw new UnencodableError(v.constructor.name);
      this.#u8(T_TYPED);
      this.#u8(kind);
      return this.#raw(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    }
    if (v instanceof ArrayBuffer) {
      this.#u8(T_ARRAY_BUFFER);
      return this.#raw(new Uint8Array(v));
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) {
      throw new UnencodableError(`an instance of ${v.constructor?.name ?? "a class"}`);
    }
    const keys = Object.keys(v);
    this.#u8(T_OBJECT);
    this.#u32(keys.length);
    for (const key of keys) {
      this.#string(key);
      this.#value((v as Record<string, unknown>)[key], depth + 1);
    }
  }
}

/** Decodes one value written by {@link MailboxWriter.encode} (from a non-shared buffer). */
export function decodeMailbox(bytes: Uint8Array): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const u32 = () => {
    const v = view.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const raw = () => {
    const n = u32();
    const out = bytes.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  const str = () => {
    const b = raw();
    if (b.length > SHORT_STRING) return decoder.decode(b);
    let out = "";
    for (let i = 0; i < b.length; i++) {
      if (b[i] >= 0x80) return decoder.decode(b);
      out += String.fromCharCode(b[i]);
    }
    return out;
  };
  const value = (): unknown => {
    const tag = bytes[pos++];
    switch (tag) {
      case T_UNDEFINED:
        return undefined;
      case T_NULL:
        return null;
      case T_FALSE:
        return false;
      case T_TRUE:
        return true;
      case T_NUMBER: {
        const v = view.getFloat64(pos, true);
        pos += 8;
        return v;
      }
      case T_BIGINT:
        return BigInt(str());
      case T_STRING:
        return str();
      case T_ARRAY: {
        const out = new Array(u32());
        for (let i = 0; i < out.length; i++) out[i] = value();
        return out;
      }
      case T_OBJECT: {
        const out: Record<string, unknown> = {};
        for (let n = u32(); n > 0; n--) {
          const key = str();
          const item = value();
          if (key === "__proto__") {
            Object.defineProperty(out, key, { value: item, enumerable: true, writable: true });
          } else out[key] = item;
        }
        return out;
      }
      case T_TYPED: {
        const ctor = TYPED[bytes[pos++]];
        const data = raw().slice(); // own, aligned buffer
        return new ctor(data.buffer, 0, data.byteLength / ctor.BYTES_PER_ELEMENT);
      }
      case T_ARRAY_BUFFER:
        return raw().slice().buffer;
      default:
        throw new UnencodableError(`tag ${tag} at byte ${pos - 1} (corrupt mailbox)`);
    }
  };
  return value();
}
