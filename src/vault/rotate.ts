import { deriveKeys, formatKeyString, fromB64, keyIdOf, newDataKey, sameId, openPassphraseSlot, openValue, sealPassphraseSlot, sealValue, signerOf, signKeyLink, wipeKeys, type EnvKeys } from "../crypto/index.js";
import { VaultError, isVaultError } from "../errors.js";
import type { KeySlot, PassphraseSlot, RecipientSlot } from "../format/index.js";
import { keychainAccount, keychainGet, keychainSet, sealMemberBox } from "../keys/index.js";
import { forgetKey, rememberKey } from "./key-home.js";
import { mutateVault, resealEnvironment, verifiedEnvironment } from "./mutate.js";
import { environmentOf, type OpenVault, type Session } from "./session.js";
import { rememberVerified } from "./trust.js";

export interface RotateOptions {
  /** Re-wraps the passphrase slots this passphrase opens; the others are dropped. */
  passphrase?: string;
  /** The caller will show the new key string, so it need not be kept anywhere else. */
  printKey?: boolean;
  /** Drops the member slots it matches in the same write (`vault member rm`). */
  removeSlot?: (slot: RecipientSlot) => boolean;
  /** Told how many values are re-encrypted so far. */
  onProgress?: (done: number, total: number) => void;
}

export interface Rotation {
  keyString: string;
  keychain: "updated" | "unavailable";
  slotsKept: number;
  slotsDropped: number;
  newKeys: EnvKeys;
}

/**
 * A new data key for one environment, one generation up: every value re-encrypted,
 * slots re-wrapped, a link signed by the old key vouching for the new one, the keychain
 * updated, the old key id retired so old key strings get a "stale key" error. The
 * keychain is written before the file and restored if the file write fails, so no crash
 * leaves the new key unreachable. This machine remembers the new generation at once, so
 * a rollback pushed right after (by whoever was removed) is refused here.
 */
export async function rotateEnvironment(s: Session, v: OpenVault, envName: string, oldKeys: EnvKeys, options: RotateOptions = {}): Promise<Rotation> {
  const current = environmentOf(v.doc, envName);
  const newKeys = deriveKeys(newDataKey());
  const remaining = current.slots.filter((slot) => !(slot.type === "recipient" && options.removeSlot?.(slot)));
  const slots = await rewrapSlots(remaining, oldKeys, newKeys, options.passphrase);

  const account = keychainAccount(v.doc.id, envName);
  let previous: string | undefined;
  let keychain: Rotation["keychain"] = "updated";
  try {
    previous = await keychainGet(account);
    await rememberKey(v.doc.id, envName, newKeys);
  } catch (err) {
    if (!isVaultError(err) || err.code !== "keychain_unavailable") throw err;
    keychain = "unavailable";
  }
  if (keychain === "unavailable" && slots.length === 0 && !options.printKey) {
    throw new VaultError(
      "keychain_unavailable",
      `nowhere to keep the new ${envName} key: no keychain on this machine and no passphrase slot to re-wrap`,
      "run `vault rotate --print-key` and store the printed key (e.g. as VAULT_KEY in CI)",
    );
  }

  try {
    await mutateVault(v, (doc) => {
      const env = verifiedEnvironment(doc, envName, oldKeys);
      const entries = Object.entries(env.secrets);
      entries.forEach(([name, sealed], i) => {
        const place = { vaultId: doc.id, env: envName, name };
        const opened = openValue(oldKeys, place, sealed);
        env.secrets[name] = sealValue(newKeys, place, opened.value, opened);
        options.onProgress?.(i + 1, entries.length);
      });
      const next = { generation: env.generation + 1, keyId: newKeys.keyId, signer: signerOf(newKeys) };
      env.retiredKeyIds = [...env.retiredKeyIds, env.keyId];
      env.keyLinks = [...env.keyLinks, signKeyLink(doc.id, envName, oldKeys, next)];
      Object.assign(env, next);
      env.slots = slots;
      resealEnvironment(doc, envName, newKeys);
    });
  } catch (err) {
    if (keychain === "updated") {
      await (previous === undefined ? forgetKey(v.doc.id, envName) : keychainSet(account, previous)).catch(() => undefined);
    }
    throw err;
  }
  await rememberVerified(s.environ, v.file, v.doc.id, envName, environmentOf(v.doc, envName));
  return {
    keyString: formatKeyString(envName, newKeys.dataKey),
    keychain,
    slotsKept: slots.length,
    slotsDropped: remaining.length - slots.length,
    newKeys,
  };
}

/**
 * Re-wraps every slot for the new key: recipient slots are sealed again to the same
 * public keys, each in its kind (no secret needed); passphrase slots need the passphrase, and those it
 * does not open are dropped.
 */
async function rewrapSlots(slots: KeySlot[], oldKeys: EnvKeys, newKeys: EnvKeys, passphrase: string | undefined): Promise<KeySlot[]> {
  const recipients = slots.filter((s): s is RecipientSlot => s.type === "recipient");
  const passphrases = slots.filter((s): s is PassphraseSlot => s.type === "passphrase");
  const kept: KeySlot[] = [];
  for (const slot of recipients) {
    const pk = fromB64(slot.pk);
    if (pk) kept.push({ ...slot, box: await sealMemberBox({ kind: slot.kind, publicKey: pk }, newKeys.dataKey) });
  }
  if (passphrases.length === 0) return kept;
  if (passphrase === undefined) {
    throw new VaultError("no_key", "rotation needs the passphrase to re-wrap the passphrase slot", "set VAULT_PASSPHRASE_<ENV> (or VAULT_PASSPHRASE), or run it in a terminal");
  }
  let opened = 0;
  for (const slot of passphrases) {
    const key = openPassphraseSlot(slot, passphrase);
    if (!key) continue;
    const fits = sameId(keyIdOf(key), oldKeys.keyId);
    wipeKeys(deriveKeys(key));
    if (fits) {
      kept.push(sealPassphraseSlot(newKeys.dataKey, passphrase, { ops: slot.ops, mem: slot.mem }));
      opened++;
    }
  }
  if (opened === 0) {
    throw new VaultError("wrong_key", "the passphrase opens none of the passphrase slots", "check the passphrase (VAULT_PASSPHRASE_<ENV>, else VAULT_PASSPHRASE) and try again");
  }
  return kept;
}
