// Model registry: every trained model is a file (JSON) under dataDir('models') with an entry in
// registry.json recording its version, metrics, training data range and the file's SHA-256, and
// which version is promoted (the one scoring uses). Promotion follows one rule: a candidate is
// promoted only if it is not worse than the current model on a held-out recent slice.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from '../config.ts';

export interface ModelEntry {
  name: string;
  version: number;
  createdAt: string;
  /** Held-out metrics; `loss` (lower is better) drives promotion. */
  metrics: { loss: number; [k: string]: number };
  training: { from: string; to: string; points: number };
  file: string;
  sha256: string;
  promoted: boolean;
}

interface RegistryFile {
  models: ModelEntry[];
}

export interface PromotionDecision {
  promote: boolean;
  reason: string;
}

/** The promotion rule: promote when there is no current model, or the candidate's held-out loss is not worse. */
export function promotionRule(candidateLoss: number, currentLoss: number | undefined, tolerance = 0): PromotionDecision {
  if (!Number.isFinite(candidateLoss)) return { promote: false, reason: `candidate loss is not a number (${candidateLoss})` };
  if (currentLoss === undefined || !Number.isFinite(currentLoss)) return { promote: true, reason: 'no current model' };
  if (candidateLoss <= currentLoss * (1 + tolerance)) {
    return { promote: true, reason: `held-out loss ${candidateLoss.toPrecision(4)} ≤ current ${currentLoss.toPrecision(4)}` };
  }
  return { promote: false, reason: `held-out loss ${candidateLoss.toPrecision(4)} is worse than current ${currentLoss.toPrecision(4)}` };
}

export class ModelRegistry {
  readonly dir: string;
  private readonly path: string;

  constructor(dir: string = dataDir('models')) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, 'registry.json');
  }

  list(name?: string): ModelEntry[] {
    const all = this.read().models;
    return name ? all.filter((m) => m.name === name) : all;
  }

  current(name: string): ModelEntry | undefined {
    return this.list(name).find((m) => m.promoted);
  }

  /** Reads a model file and checks it against its recorded hash. */
  load(entry: ModelEntry): unknown {
    const text = readFileSync(join(this.dir, entry.file), 'utf8');
    const hash = sha256(text);
    if (hash !== entry.sha256) throw new Error(`${entry.file}: hash ${hash} does not match the registry (${entry.sha256})`);
    return JSON.parse(text) as unknown;
  }

  /**
   * Records a candidate and applies the promotion rule against the current model's loss on
   * the same held-out slice (`currentLoss`, measured by the caller with the current model).
   */
  register(
    name: string,
    model: unknown,
    metrics: ModelEntry['metrics'],
    training: ModelEntry['training'],
    currentLoss?: number
  ): { entry: ModelEntry; decision: PromotionDecision } {
    if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name)) throw new Error(`model name '${name}': expected letters, digits, '.', '_' or '-'`);
    const reg = this.read();
    const version = Math.max(0, ...reg.models.filter((m) => m.name === name).map((m) => m.version)) + 1;
    const file = `${name}-v${version}.json`;
    const text = JSON.stringify(model);
    writeFileSync(join(this.dir, file), text);
    const decision = promotionRule(metrics.loss, this.current(name) ? currentLoss : undefined);
    const entry: ModelEntry = { name, version, createdAt: new Date().toISOString(), metrics, training, file, sha256: sha256(text), promoted: decision.promote };
    if (decision.promote) for (const m of reg.models) if (m.name === name) m.promoted = false;
    reg.models.push(entry);
    this.write(reg);
    return { entry, decision };
  }

  private read(): RegistryFile {
    if (!existsSync(this.path)) return { models: [] };
    return JSON.parse(readFileSync(this.path, 'utf8')) as RegistryFile;
  }

  private write(reg: RegistryFile): void {
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(reg, null, 2) + '\n');
    renameSync(tmp, this.path);
  }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
