import { formatRecipient, loadSodium, newIdentity, parseRecipient, type Recipient } from "../crypto/index.js";
import { VaultError } from "../errors.js";
import { noIdentityError, ownIdentity, storeIdentity } from "../keys/index.js";

/** Creates this user's identity (refusing to replace one) and returns its recipient string and where it was stored. */
export async function createIdentity(environ: NodeJS.ProcessEnv, replace: boolean): Promise<{ recipient: string; storedIn: string }> {
  await loadSodium();
  if (!replace && (await ownIdentity(environ))) {
    throw new VaultError("exists", "you already have a sealenv identity", "`vault identity show` prints it; --force replaces it (vaults sealed to the old one stop opening for you)");
  }
  const identity = newIdentity();
  const storedIn = await storeIdentity(environ, identity);
  return { recipient: formatRecipient(identity.publicKey), storedIn };
}

export async function showIdentity(environ: NodeJS.ProcessEnv): Promise<string> {
  await loadSodium();
  const found = await ownIdentity(environ);
  if (!found) throw noIdentityError();
  return formatRecipient(found.identity.publicKey);
}

export async function recipientFrom(text: string): Promise<Recipient> {
  await loadSodium();
  return parseRecipient(text);
}
