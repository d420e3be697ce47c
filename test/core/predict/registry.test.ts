// Model registry and the retrain-and-promote rule (a candidate is promoted only if it is not
// worse than the current model on a held-out recent slice), with a real TensorFlow.js LSTM.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelRegistry, promotionRule } from '../../../core/predict/registry.ts';
import { retrainModel } from '../../../core/predict/retrain.ts';

const small = { lookback: 8, units: 4, epochs: 2, maxWindows: 200, batchSize: 32 };
const T0 = Date.UTC(2024, 0, 1);
const wave = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => ({ t: T0 + i * 60_000, v: f(i) }));

describe('promotion rule', () => {
  it('promotes when there is no current model or the candidate is not worse, and refuses otherwise', () => {
    expect(promotionRule(1, undefined).promote).toBe(true);
    expect(promotionRule(1, 1).promote).toBe(true);
    expect(promotionRule(0.5, 1).promote).toBe(true);
    expect(promotionRule(2, 1)).toMatchObject({ promote: false });
    expect(promotionRule(Number.NaN, 1).promote).toBe(false);
  });
});

describe('registry with a real LSTM', () => {
  it('records versions, metrics, training range and file hash, and promotes by the held-out loss', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'models-'));
    const reg = new ModelRegistry(dir);
    const first = await retrainModel('fan-rpm', wave(400, (i) => Math.sin(i / 6)), reg, { lstm: small });
    expect(first.decision.promote).toBe(true);
    expect(first.entry.version).toBe(1);
    expect(first.entry.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(first.entry.training.points).toBe(320);
    expect(first.entry.training.from).toBe(new Date(T0).toISOString());

    // The second candidate is measured against the promoted one on the same held-out slice.
    const second = await retrainModel('fan-rpm', wave(400, (i) => Math.sin(i / 6)), reg, { lstm: small });
    expect(second.currentLoss).toBeDefined();
    expect(second.entry.promoted).toBe(second.candidateLoss <= second.currentLoss!);
    const promoted = reg.list('fan-rpm').filter((m) => m.promoted);
    expect(promoted).toHaveLength(1);
    expect(reg.current('fan-rpm')!.version).toBe(second.entry.promoted ? 2 : 1);
  }, 120_000);

  it('refuses a tampered model file and a series too short to train', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'models-'));
    const reg = new ModelRegistry(dir);
    const { entry } = reg.register('m', { w: [1, 2] }, { loss: 1 }, { from: 'a', to: 'b', points: 2 });
    expect(reg.load(entry)).toEqual({ w: [1, 2] });
    writeFileSync(join(dir, entry.file), JSON.stringify({ w: [1, 3] }));
    expect(() => reg.load(entry)).toThrow(/does not match the registry/);
    await expect(retrainModel('m', wave(10, (i) => i), reg, { lstm: small })).rejects.toThrow(/too short to train/);
    expect(() => reg.register('../evil', {}, { loss: 1 }, { from: '', to: '', points: 0 })).toThrow(/model name/);
  });

  it('keeps a worse candidate out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'models-'));
    const reg = new ModelRegistry(dir);
    reg.register('m', { v: 1 }, { loss: 1 }, { from: 'a', to: 'b', points: 1 });
    const { entry, decision } = reg.register('m', { v: 2 }, { loss: 2 }, { from: 'a', to: 'b', points: 1 }, 1);
    expect(decision.promote).toBe(false);
    expect(entry.promoted).toBe(false);
    expect(reg.current('m')!.version).toBe(1);
  });
});
