/**
 * A client address as a map key: `a.b.c.d:port` as one number (48 bits, exact in a double), any
 * other address as its text. A number keeps no log line alive (a substring would keep its whole
 * line), and hashes and compares cheaply: this runs for every access-log line of a gigabyte log.
 */

/** `a.b.c.d:port` in `data[start, end)` as its number, or null when the bytes are anything else. */
export function ipv4KeyOfBytes(data: Uint8Array, start: number, end: number): number | null {
  let key = 0;
  let part = 0;
  let digits = 0;
  let separators = 0;
  // Read by hand: a regex with its match array cost more than the rest of recording the line.
  for (let i = start; i < end; i++) {
    const c = data[i]!;
    if (c >= 48 && c <= 57 && digits < 5) {
      part = part * 10 + (c - 48);
      digits++;
    } else if ((separators < 3 ? c === 46 /* . */ : separators === 3 && c === 58) /* : */ && digits > 0 && digits <= 3 && part <= 255) {
      key = key * 256 + part;
      separators++;
      part = 0;
      digits = 0;
    } else {
      return null;
    }
  }
  return separators === 4 && digits > 0 && part <= 65535 ? key * 65536 + part : null;
}

/** The longest IPv4 address with a port, `255.255.255.255:65535`, and some room. */
const scratch = new Uint8Array(32);

export function addressKey(address: string): number | string {
  if (address.length > scratch.length) return address;
  for (let i = 0; i < address.length; i++) {
    const c = address.charCodeAt(i);
    if (c > 127) return address;
    scratch[i] = c;
  }
  return ipv4KeyOfBytes(scratch, 0, address.length) ?? address;
}
