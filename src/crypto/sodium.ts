import sodiumModule from "libsodium-wrappers-sumo";

export type Sodium = typeof sodiumModule;

let loaded: Promise<Sodium> | undefined;
let instance: Sodium | undefined;

/** libsodium compiles its WebAssembly once per process; every crypto call needs it first. */
export function loadSodium(): Promise<Sodium> {
  loaded ??= sodiumModule.ready.then(() => (instance = sodiumModule));
  return loaded;
}

export function na(): Sodium {
  if (!instance) throw new Error("libsodium used before loadSodium() resolved");
  return instance;
}

export const toB64 = (bytes: Uint8Array): string => na().to_base64(bytes, na().base64_variants.URLSAFE_NO_PADDING);

/** Returns undefined for text that is not base64url, so callers report their own error. */
export function fromB64(text: string): Uint8Array | undefined {
  try {
    return na().from_base64(text, na().base64_variants.URLSAFE_NO_PADDING);
  } catch {
    return undefined;
  }
}

export const DATA_KEY_BYTES = 32;
