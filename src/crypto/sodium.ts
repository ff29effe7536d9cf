import sodiumModule from "libsodium-wrappers-sumo";

export type Sodium = typeof sodiumModule;

let loaded: Promise<Sodium> | undefined;
let instance: Sodium | undefined;

/** libsodium compiles its WebAssembly once per process; every crypto call needs it first. */
export function loadSodium(): Promise<Sodium> {
  loaded ??= sodiumModule.ready.then(() => (instance = sodiumModule));
  return loaded;
}

export function sodium(): Sodium {
  if (!instance) throw new Error("libsodium used before loadSodium() resolved");
  return instance;
}

export const toB64 = (bytes: Uint8Array): string => sodium().to_base64(bytes, sodium().base64_variants.URLSAFE_NO_PADDING);

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Returns undefined for text that is not unpadded base64url, so callers report their own
 * error. Node's decoder is native (libsodium's runs through WebAssembly, which `vault run`
 * pays once per secret) but lenient, so the alphabet and length are checked first.
 */
export function fromB64(text: string): Uint8Array | undefined {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, "base64url");
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

export const DATA_KEY_BYTES = 32;
