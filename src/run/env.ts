/**
 * The child's environment: the parent's, plus the vault's secrets. An existing variable
 * wins unless `override` (the dotenv convention: what the shell says is deliberate).
 */
export function mergeEnvironment(parent: NodeJS.ProcessEnv, secrets: Record<string, string>, override: boolean): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = { ...parent };
  for (const [name, value] of Object.entries(secrets)) {
    if (override || merged[name] === undefined) merged[name] = value;
  }
  return merged;
}
