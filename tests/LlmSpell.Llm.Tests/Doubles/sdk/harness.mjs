// Shared by the SDK scripts: loads an npm SDK through NODE_PATH (set by the C# test to tests/tools/node_modules),
// runs named checks in order and prints one JSON object with what each check observed.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function load(name) {
  try {
    return require(name);
  } catch (e) {
    console.error(`Cannot load the npm package '${name}' (NODE_PATH=${process.env.NODE_PATH ?? ''}): run scripts/test.sh to install it.`);
    process.exit(3);
  }
}

export const baseUrl = process.argv[2];
export const apiKey = process.env.DOUBLE_API_KEY;
if (!baseUrl || !apiKey) {
  console.error('usage: DOUBLE_API_KEY=KEY node SCRIPT.mjs BASE_URL');
  process.exit(2);
}

const observed = {};

/** Runs one check; what it returns is recorded under `name`, an unexpected exception as { unexpected: ... }. */
export async function check(name, body) {
  try {
    observed[name] = await body();
  } catch (e) {
    observed[name] = { unexpected: describeError(e) };
  }
}

/** The error `body` throws, described; { threw: false } when it does not throw. */
export async function expectError(body, describe = describeError) {
  try {
    const value = await body();
    return { threw: false, value };
  } catch (e) {
    return { threw: true, ...describe(e) };
  }
}

export function describeError(e) {
  return {
    className: e?.constructor?.name ?? null,
    name: e?.name ?? null,
    message: String(e?.message ?? e),
    status: e?.status ?? e?.status_code ?? null,
    stack: String(e?.stack ?? '').split('\n').slice(0, 4).join('\n'),
  };
}

export function finish() {
  process.stdout.write(JSON.stringify(observed) + '\n');
}
