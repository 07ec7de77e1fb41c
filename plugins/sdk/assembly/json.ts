/**
 * A small JSON parser (RFC 8259) for the params string: objects, arrays, numbers, strings,
 * booleans and null. AssemblyScript has no built-in JSON.
 * @module
 */

/** Kind of a {@link JsonValue}. */
export enum JsonKind {
  /** `null`. */
  Null,
  /** `true` / `false`. */
  Bool,
  /** A number (always f64). */
  Number,
  /** A string. */
  String,
  /** An array. */
  Array,
  /** An object. */
  Object,
}

/** A parsed JSON value. Only the field matching `kind` is meaningful. */
export class JsonValue {
  /** Which JSON type this is. */
  kind: JsonKind = JsonKind.Null;
  /** Value of a boolean. */
  bool: bool = false;
  /** Value of a number. */
  num: f64 = 0;
  /** Value of a string. */
  str: string = "";
  /** Items of an array. */
  items: JsonValue[] = [];
  /** Keys of an object, in document order. */
  keys: string[] = [];
  /** Values of an object, parallel to `keys`. */
  values: JsonValue[] = [];

  /** The value of key `key` of an object, or null when absent or not an object. */
  get(key: string): JsonValue | null {
    const keys = this.keys;
    for (let i = keys.length - 1; i >= 0; i--) {
      if (unchecked(keys[i]) == key) return unchecked(this.values[i]);
    }
    return null;
  }

  /** The JSON type name, for error messages. */
  typeName(): string {
    switch (this.kind) {
      case JsonKind.Null:
        return "null";
      case JsonKind.Bool:
        return "boolean";
      case JsonKind.Number:
        return "number";
      case JsonKind.String:
        return "string";
      case JsonKind.Array:
        return "array";
      default:
        return "object";
    }
  }
}

/** Result of {@link parseJson}: a value, or an error message with the byte offset. */
export class JsonParse {
  /** The parsed value (null on error). */
  value: JsonValue | null = null;
  /** Empty on success, otherwise what is wrong and where. */
  error: string = "";
}

/** Parses the UTF-8 JSON text of `len` bytes at `ptr`. */
export function parseJson(ptr: usize, len: usize): JsonParse {
  const p = new Parser(ptr, len);
  const out = new JsonParse();
  p.ws();
  const v = p.value(0);
  p.ws();
  if (p.err.length == 0 && p.pos < len) p.fail("unexpected text after the JSON value");
  if (p.err.length > 0) out.error = p.err;
  else out.value = v;
  return out;
}

/** Parses a managed string (used by tests and plugins that embed JSON). */
export function parseJsonString(text: string): JsonParse {
  const buf = String.UTF8.encode(text, false);
  return parseJson(changetype<usize>(buf), <usize> buf.byteLength);
}

const MAX_DEPTH = 64;

class Parser {
  pos: usize = 0;
  err: string = "";
  constructor(public base: usize, public len: usize) {}

  @inline
  peek(): u32 {
    return this.pos < this.len ? <u32> load<u8>(this.base + this.pos) : 0xffffffff;
  }

  fail(message: string): void {
    if (this.err.length == 0) this.err = message + " at byte " + this.pos.toString();
  }

  ws(): void {
    while (this.pos < this.len) {
      const c = load<u8>(this.base + this.pos);
      if (c != 0x20 && c != 0x09 && c != 0x0a && c != 0x0d) break;
      this.pos++;
    }
  }

  literal(word: string): bool {
    const n = <usize> word.length;
    if (this.pos + n > this.len) return false;
    for (let i: usize = 0; i < n; i++) {
      if (<u32> load<u8>(this.base + this.pos + i) != <u32> word.charCodeAt(<i32> i)) return false;
    }
    this.pos += n;
    return true;
  }

  value(depth: i32): JsonValue {
    const v = new JsonValue();
    if (depth > MAX_DEPTH) {
      this.fail("JSON nested deeper than " + MAX_DEPTH.toString());
      return v;
    }
    const c = this.peek();
    if (c == 0x7b) this.object(v, depth);
    else if (c == 0x5b) this.array(v, depth);
    else if (c == 0x22) {
      v.kind = JsonKind.String;
      v.str = this.string();
    } else if (c == 0x74 && this.literal("true")) {
      v.kind = JsonKind.Bool;
      v.bool = true;
    } else if (c == 0x66 && this.literal("false")) {
      v.kind = JsonKind.Bool;
    } else if (c == 0x6e && this.literal("null")) {
      v.kind = JsonKind.Null;
    } else if (c == 0x2d || (c >= 0x30 && c <= 0x39)) {
      v.kind = JsonKind.Number;
      v.num = this.number();
    } else this.fail("expected a JSON value");
    return v;
  }

  object(v: JsonValue, depth: i32): void {
    v.kind = JsonKind.Object;
    this.pos++;
    this.ws();
    if (this.peek() == 0x7d) {
      this.pos++;
      return;
    }
    while (this.err.length == 0) {
      this.ws();
      if (this.peek() != 0x22) return this.fail("expected a string key");
      const key = this.string();
      this.ws();
      if (this.peek() != 0x3a) return this.fail("expected ':'");
      this.pos++;
      this.ws();
      const item = this.value(depth + 1);
      v.keys.push(key);
      v.values.push(item);
      this.ws();
      const c = this.peek();
      this.pos++;
      if (c == 0x7d) return;
      if (c != 0x2c) {
        this.pos--;
        return this.fail("expected ',' or '}'");
      }
    }
  }

  array(v: JsonValue, depth: i32): void {
    v.kind = JsonKind.Array;
    this.pos++;
    this.ws();
    if (this.peek() == 0x5d) {
      this.pos++;
      return;
    }
    while (this.err.length == 0) {
      this.ws();
      v.items.push(this.value(depth + 1));
      this.ws();
      const c = this.peek();
      this.pos++;
      if (c == 0x5d) return;
      if (c != 0x2c) {
        this.pos--;
        return this.fail("expected ',' or ']'");
      }
    }
  }

  hex4(): i32 {
    if (this.pos + 4 > this.len) return -1;
    let n = 0;
    for (let i = 0; i < 4; i++) {
      const c = <i32> load<u8>(this.base + this.pos + <usize> i);
      let d = -1;
      if (c >= 0x30 && c <= 0x39) d = c - 0x30;
      else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
      else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
      if (d < 0) return -1;
      n = (n << 4) | d;
    }
    this.pos += 4;
    return n;
  }

  string(): string {
    this.pos++; // opening quote
    let out = "";
    let start = this.pos;
    while (true) {
      if (this.pos >= this.len) {
        this.fail("unterminated string");
        return out;
      }
      const c = load<u8>(this.base + this.pos);
      if (c == 0x22) {
        out += String.UTF8.decodeUnsafe(this.base + start, this.pos - start, false);
        this.pos++;
        return out;
      }
      if (c < 0x20) {
        this.fail("control character in string");
        return out;
      }
      if (c != 0x5c) {
        this.pos++;
        continue;
      }
      out += String.UTF8.decodeUnsafe(this.base + start, this.pos - start, false);
      this.pos++;
      const e = this.peek();
      this.pos++;
      if (e == 0x22) out += '"';
      else if (e == 0x5c) out += "\\";
      else if (e == 0x2f) out += "/";
      else if (e == 0x62) out += "\b";
      else if (e == 0x66) out += "\f";
      else if (e == 0x6e) out += "\n";
      else if (e == 0x72) out += "\r";
      else if (e == 0x74) out += "\t";
      else if (e == 0x75) {
        const u = this.hex4();
        if (u < 0) {
          this.fail("bad \\u escape");
          return out;
        }
        out += String.fromCharCode(u);
      } else {
        this.pos--;
        this.fail("bad escape");
        return out;
      }
      start = this.pos;
    }
  }

  number(): f64 {
    const start = this.pos;
    if (this.peek() == 0x2d) this.pos++;
    let digits = 0;
    while (this.peek() >= 0x30 && this.peek() <= 0x39) {
      this.pos++;
      digits++;
    }
    if (digits == 0) {
      this.fail("expected digits");
      return 0;
    }
    if (this.peek() == 0x2e) {
      this.pos++;
      let frac = 0;
      while (this.peek() >= 0x30 && this.peek() <= 0x39) {
        this.pos++;
        frac++;
      }
      if (frac == 0) {
        this.fail("expected digits after '.'");
        return 0;
      }
    }
    if (this.peek() == 0x65 || this.peek() == 0x45) {
      this.pos++;
      if (this.peek() == 0x2b || this.peek() == 0x2d) this.pos++;
      let exp = 0;
      while (this.peek() >= 0x30 && this.peek() <= 0x39) {
        this.pos++;
        exp++;
      }
      if (exp == 0) {
        this.fail("expected exponent digits");
        return 0;
      }
    }
    return parseFloat(String.UTF8.decodeUnsafe(this.base + start, this.pos - start, false));
  }
}
