import { createHash } from 'node:crypto';

/** A UUID-shaped id derived from `seed`, so the same scenario always yields the same uids. */
export function stableUid(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A small non-negative integer derived from `seed` (for addresses, ports, phases). */
export function stableNumber(seed: string, modulo: number): number {
  return createHash('sha1').update(seed).digest().readUInt32BE(0) % modulo;
}

/** A pod IP in 10.0.0.0/8 derived from the pod's key. */
export function stablePodIp(seed: string): string {
  const n = stableNumber(seed, 0xffffff);
  return `10.${(n >> 16) & 0xff}.${(n >> 8) & 0xff}.${Math.max(2, n & 0xff)}`;
}

/** `7d9c5b8f6d`-style hash suffix as the ReplicaSet controller names things. */
export function podTemplateHash(seed: string): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const bytes = createHash('sha1').update(seed).digest();
  return Array.from(bytes.subarray(0, 10), (b) => alphabet[b % alphabet.length]).join('');
}

/** 64 hex digits derived from `seed` (image digests, container ids). */
export function stableHex64(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}
