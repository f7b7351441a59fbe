/**
 * E.164 number → first row it appeared on, for in-file de-duplication of a million rows in
 * ~25 MB: an open-addressing hash table over typed arrays (a Map of strings would take
 * several times that, and keep the garbage collector busy). E.164 has at most 15 digits,
 * so the digits fit a double exactly.
 */
export class PhoneIndex {
  private keys: Float64Array;
  private rows: Int32Array;
  private used = 0;

  constructor(capacity = 1 << 16) {
    this.keys = new Float64Array(capacity);
    this.rows = new Int32Array(capacity);
  }

  get size(): number {
    return this.used;
  }

  /** The row that first had this phone, or 0 after recording `row` as its first. */
  firstRowOrAdd(e164: string, row: number): number {
    const key = Number(e164.slice(1));
    const mask = this.keys.length - 1;
    let slot = hash(key) & mask;
    for (;;) {
      const stored = this.keys[slot];
      if (stored === 0) break;
      if (stored === key) return this.rows[slot];
      slot = (slot + 1) & mask;
    }
    this.keys[slot] = key;
    this.rows[slot] = row;
    if (++this.used * 2 > this.keys.length) this.grow();
    return 0;
  }

  private grow(): void {
    const { keys, rows } = this;
    this.keys = new Float64Array(keys.length * 2);
    this.rows = new Int32Array(keys.length * 2);
    const mask = this.keys.length - 1;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === 0) continue;
      let slot = hash(keys[i]) & mask;
      while (this.keys[slot] !== 0) slot = (slot + 1) & mask;
      this.keys[slot] = keys[i];
      this.rows[slot] = rows[i];
    }
  }
}

function hash(key: number): number {
  const lo = key % 4294967296;
  const hi = Math.floor(key / 4294967296);
  return Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) ^ (lo >>> 13);
}
